//! A small demo hub (600 victims) with users of every role and one public release, and a client
//! that keeps the session cookie and reads CSRF tokens from pages.

use std::sync::OnceLock;

use auth::{PasswordHashing, Role, SeededRng};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt as _;
use server::{AppState, Config};
use tower::ServiceExt as _;

pub(crate) const PASSWORD: &str = "correct-horse-battery-9";

pub(crate) struct Hub {
    pub(crate) _dir: tempfile::TempDir,
    pub(crate) database: String,
    pub(crate) providers: Vec<String>,
}

/// Builds a fresh hub per test binary run (copied per test so that audit logs do not mix).
fn template() -> &'static (tempfile::TempDir, Vec<String>) {
    static HUB: OnceLock<(tempfile::TempDir, Vec<String>)> = OnceLock::new();
    HUB.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        app::demo::run(&app::demo::DemoOptions {
            data_dir: dir.path().to_path_buf(),
            database_url: None,
            seed: 7,
            victims: 600,
            first_year: 2023,
            last_year: 2024,
        })
        .expect("demo");
        let path = dir.path().join("mosy.sqlite");
        let mut store = store::Store::open_sqlite(&path).expect("open");
        let lists = model::Codelists::embedded();
        let providers: Vec<String> =
            store.providers(lists).expect("providers").iter().map(|p| p.id.as_str().to_string()).collect();
        let engine = app::reporting::engine(&mut store, lists).expect("engine");
        app::reporting::release(
            &mut store,
            &engine,
            lists,
            "2024",
            reports::Audience::Public,
            model::Lang::En,
            chrono::Utc::now(),
        )
        .expect("release");
        let hashing = PasswordHashing::for_tests();
        let mut rng = SeededRng::new(1);
        let users = [
            ("admin", Role::HubAdmin),
            ("analyst", Role::Analyst),
            ("eu", Role::EuViewer),
            ("prov-a", Role::ProviderUser { provider: providers[0].clone() }),
            ("prov-b", Role::ProviderUser { provider: providers[1].clone() }),
        ];
        for (id, role) in users {
            server::accounts::add_user(&mut store, &hashing, &mut rng, id, &role, PASSWORD).expect("user");
        }
        drop(store);
        (dir, providers)
    })
}

/// Header and the data rows of the demo's `victims.csv` of one provider.
pub(crate) fn victims_of(provider: &str) -> (String, Vec<String>) {
    let (src, _) = template();
    let text =
        std::fs::read_to_string(src.path().join("synthetic").join("victims.csv")).expect("victims.csv");
    let mut lines = text.lines();
    let header = lines.next().expect("header").to_string();
    let rows = lines.filter(|l| l.split(',').nth(1) == Some(provider)).map(str::to_string).collect();
    (header, rows)
}

pub(crate) fn hub() -> Hub {
    let (src, providers) = template();
    let dir = tempfile::tempdir().expect("tempdir");
    let from = src.path().join("mosy.sqlite");
    // Checkpointed by closing the store: the main file holds everything.
    let to = dir.path().join("mosy.sqlite");
    std::fs::copy(&from, &to).expect("copy hub");
    for suffix in ["-wal", "-shm"] {
        let f = std::path::PathBuf::from(format!("{}{suffix}", from.display()));
        if f.exists() {
            std::fs::copy(&f, format!("{}{suffix}", to.display())).expect("copy wal");
        }
    }
    Hub { database: to.display().to_string(), _dir: dir, providers: providers.clone() }
}

pub(crate) fn state(hub: &Hub) -> AppState {
    let mut config = Config::new(hub.database.clone());
    config.hashing = PasswordHashing::for_tests();
    AppState::open(config).expect("state")
}

pub(crate) struct Client {
    pub(crate) router: axum::Router,
    pub(crate) cookies: Vec<(String, String)>,
}

pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub(crate) fn location(&self) -> Option<String> {
        self.headers.get(header::LOCATION).map(|v| v.to_str().unwrap_or("").to_string())
    }
}

impl Client {
    pub(crate) fn new(state: AppState) -> Client {
        Client { router: server::router(state), cookies: Vec::new() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn send(&mut self, req: Request<Body>) -> Reply {
        let res: Response<Body> = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        for sc in headers.get_all(header::SET_COOKIE) {
            let sc = sc.to_str().expect("ascii");
            let pair = sc.split(';').next().expect("pair");
            let (k, v) = pair.split_once('=').expect("k=v");
            self.cookies.retain(|(n, _)| n != k);
            if !sc.contains("Max-Age=0") {
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
        let body = res.into_body().collect().await.expect("body").to_bytes().to_vec();
        Reply { status, headers, body }
    }

    pub(crate) async fn get(&mut self, path: &str) -> Reply {
        let req =
            Request::get(path).header(header::COOKIE, self.cookie_header()).body(Body::empty()).expect("req");
        self.send(req).await
    }

    pub(crate) async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&");
        let req = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("req");
        self.send(req).await
    }

    pub(crate) async fn post_json(&mut self, path: &str, csrf: &str, json: &serde_json::Value) -> Reply {
        let req = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", csrf)
            .body(Body::from(json.to_string()))
            .expect("req");
        self.send(req).await
    }

    /// A multipart POST: `(name, file name, content)` parts, with extra headers.
    pub(crate) async fn post_multipart(
        &mut self,
        path: &str,
        headers: &[(&str, &str)],
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> Reply {
        let boundary = "mosy-test-boundary-7f3a";
        let mut body = Vec::new();
        for (name, file, content) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file {
                Some(f) => body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                ),
                None => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut req = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::from(body)).expect("req")).await
    }

    /// The CSRF token of the last form on a page (the page's own, after the logout form of the header).
    pub(crate) async fn csrf(&mut self, page: &str) -> String {
        let text = self.get(page).await.text();
        let marker = r#"name="csrf" value=""#;
        let start = text.rfind(marker).expect("csrf field") + marker.len();
        text[start..start + 64].to_string()
    }

    pub(crate) async fn login(&mut self, user: &str, password: &str) -> Reply {
        let csrf = self.csrf("/login").await;
        self.post_form("/login", &[("username", user), ("password", password), ("csrf", &csrf)]).await
    }
}

fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub(crate) fn assert_ok(r: &Reply) {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text().chars().take(500).collect::<String>());
}
