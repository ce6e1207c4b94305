//! End to end in headless Chromium: the server on a real socket (127.0.0.1, port chosen by the
//! system) over a demo hub, driven through chromedriver's W3C WebDriver protocol by a minimal
//! blocking HTTP client (std only): log in → dashboard → run a report → see its `<svg>` chart,
//! with screenshots in the test's temporary directory. Skipped, with a message, only when
//! neither Chromium nor chromedriver is installed.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{PASSWORD, hub, state};

/// The W3C key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn first_existing(paths: &[&str]) -> Option<PathBuf> {
    paths.iter().map(PathBuf::from).find(|p| p.exists())
}

/// One HTTP/1.1 request to `addr`; returns the status and the body parsed as JSON.
fn http(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let payload = body.map(Value::to_string).unwrap_or_default();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if body.is_some() {
        req.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", payload.len()));
    }
    req.push_str("\r\n");
    req.push_str(&payload);
    stream.write_all(req.as_bytes())?;
    // chromedriver keeps the connection open: read the head, then exactly its Content-Length.
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break raw.len();
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let mut body = raw[head_end..].to_vec();
    match length {
        Some(len) => {
            while body.len() < len {
                let n = stream.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&buf[..n]);
            }
        }
        None => {
            stream.read_to_end(&mut body)?;
        }
    }
    let body = String::from_utf8_lossy(&body).into_owned();
    let body = if head.contains("transfer-encoding: chunked") { dechunk(&body) } else { body };
    Ok((status, serde_json::from_str(&body).unwrap_or(Value::Null)))
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).unwrap_or(0));
        }
    }
    out
}

/// A chromedriver process and one browser session; both end when dropped.
struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: String,
}

impl Browser {
    fn start(driver: &Path, chromium: &Path, profile: &Path) -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(30);
        while !matches!(http(addr, "GET", "/status", None), Ok((200, ref v)) if v["value"]["ready"] == true) {
            assert!(Instant::now() < deadline, "chromedriver did not become ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,1000", format!("--user-data-dir={}", profile.display())]
            }
        }}});
        let mut browser = Browser { driver: child, addr, session: String::new() };
        let (status, v) = http(addr, "POST", "/session", Some(&caps)).expect("new session");
        assert_eq!(status, 200, "new session: {v}");
        browser.session = v["value"]["sessionId"].as_str().expect("session id").to_string();
        browser
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        let (status, v) = http(self.addr, method, &full, body.as_ref()).expect("webdriver");
        assert_eq!(status, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url})));
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}; page: {}", self.source()))
            .to_string()
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/value"), Some(json!({"text": text})));
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", None).as_str().unwrap_or("").to_string()
    }

    /// Waits (up to 20 s) until the page source satisfies `ok` (navigation after a click is
    /// asynchronous in WebDriver, and CI machines are busy); returns the last source seen.
    fn wait_for(&self, ok: impl Fn(&str, &str) -> bool) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let (url, page) = (self.url(), self.source());
            if ok(&url, &page) || std::time::Instant::now() > deadline {
                return page;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    fn source(&self) -> String {
        self.cmd("GET", "/source", None).as_str().unwrap_or("").to_string()
    }

    fn screenshot(&self, to: &Path) {
        let png = base64_decode(self.cmd("GET", "/screenshot", None).as_str().unwrap_or(""));
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        std::fs::write(to, png).expect("write screenshot");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(self.addr, "DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[test]
fn analyst_logs_in_and_sees_a_report_chart_in_chromium() {
    let chromium =
        first_existing(&["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"]);
    let driver = first_existing(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]);
    let (chromium, driver) = match (chromium, driver) {
        (None, None) => {
            println!(
                "skipped: neither Chromium nor chromedriver is installed (apt-get install chromium chromium-driver)"
            );
            return;
        }
        (Some(c), Some(d)) => (c, d),
        (c, d) => panic!("Chromium ({c:?}) and chromedriver ({d:?}) are both needed"),
    };
    let hub = hub();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    rt.spawn(server::serve_on(listener, state(&hub)));
    let tmp = tempfile::tempdir().unwrap();
    let browser = Browser::start(&driver, &chromium, &tmp.path().join("profile"));

    browser.go(&format!("{base}/login"));
    browser.type_into("#username", "analyst");
    browser.type_into("#password", PASSWORD);
    browser.screenshot(&tmp.path().join("login.png"));
    browser.click("form[action='/login'] button[type=submit]");
    let page = browser
        .wait_for(|url, page| url.ends_with("/dashboard") && page.contains("data-measure=\"persons\""));
    assert!(browser.url().ends_with("/dashboard"), "{}", browser.url());
    assert!(page.contains("data-measure=\"persons\""));
    browser.screenshot(&tmp.path().join("dashboard.png"));

    browser.go(&format!("{base}/reports"));
    for (select, value) in [("kind", "simple"), ("measure", "persons"), ("dim1", "sex"), ("format", "html")] {
        browser.click(&format!("select#{select} option[value='{value}']"));
    }
    browser.click("form[action='/reports'] button[type=submit]");
    let page = browser.wait_for(|_, page| page.contains("<svg"));
    assert!(page.contains("<svg"), "the report shows a chart");
    browser.screenshot(&tmp.path().join("report.png"));
    for shot in ["login.png", "dashboard.png", "report.png"] {
        assert!(std::fs::metadata(tmp.path().join(shot)).unwrap().len() > 1000, "{shot}");
    }
    println!("screenshots in {}", tmp.path().display());
    drop(browser);
    rt.shutdown_background();
}
