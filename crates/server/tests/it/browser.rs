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
    /// Starts chromedriver and a headless Chromium whose downloads go to `profile/../downloads`.
    fn start(driver: &Path, chromium: &Path, profile: &Path) -> Browser {
        let downloads = profile.parent().unwrap_or(profile).join("downloads");
        std::fs::create_dir_all(&downloads).expect("downloads dir");
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
                         "--window-size=1280,1000", format!("--user-data-dir={}", profile.display())],
                "prefs": {"download.default_directory": downloads.display().to_string(),
                          "download.prompt_for_download": false}
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

    /// Chooses a file for an `<input type=file>`.
    fn choose_file(&self, css: &str, file: &Path) {
        self.type_into(css, &file.display().to_string());
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

    /// A screenshot of the `n`-th element matching `css` (scrolled into view).
    fn element_screenshot(&self, css: &str, n: usize, to: &Path) {
        let all = self.cmd("POST", "/elements", Some(json!({"using": "css selector", "value": css})));
        let id = all[n][ELEMENT].as_str().unwrap_or_else(|| panic!("no element {n} of {css}")).to_string();
        let png =
            base64_decode(self.cmd("GET", &format!("/element/{id}/screenshot"), None).as_str().unwrap_or(""));
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        std::fs::write(to, png).expect("write screenshot");
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

/// Chromium and chromedriver, or `None` (with a message) when neither is installed.
fn browsers() -> Option<(PathBuf, PathBuf)> {
    let chromium =
        first_existing(&["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"]);
    let driver = first_existing(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]);
    match (chromium, driver) {
        (None, None) => {
            println!(
                "skipped: neither Chromium nor chromedriver is installed (apt-get install chromium chromium-driver)"
            );
            None
        }
        (Some(c), Some(d)) => Some((c, d)),
        (c, d) => panic!("Chromium ({c:?}) and chromedriver ({d:?}) are both needed"),
    }
}

#[test]
fn analyst_logs_in_and_sees_a_report_chart_in_chromium() {
    let Some((chromium, driver)) = browsers() else { return };
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

/// Waits (up to 30 s) for a finished download whose name ends with `suffix`.
fn downloaded(dir: &Path, suffix: &str) -> Option<PathBuf> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(entries) = std::fs::read_dir(dir) {
            let found = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.to_string_lossy().ends_with(suffix) && p.metadata().is_ok_and(|m| m.len() > 0));
            if found.is_some() {
                return found;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

fn login(browser: &Browser, base: &str, user: &str) {
    browser.go(&format!("{base}/login"));
    browser.type_into("#username", user);
    browser.type_into("#password", PASSWORD);
    browser.click("form[action='/login'] button[type=submit]");
    browser.wait_for(|url, _| !url.ends_with("/login"));
}

fn logout(browser: &Browser) {
    browser.click("form[action='/logout'] button[type=submit]");
    let page = browser.wait_for(|url, _| url.ends_with("/login"));
    assert!(browser.url().ends_with("/login"), "logged out: {}", page.chars().take(500).collect::<String>());
}

fn run_report(browser: &Browser, base: &str, choices: &[(&str, &str)]) {
    browser.go(&format!("{base}/reports"));
    for (field, value) in choices {
        if *field == "period" {
            browser.type_into("#period", value);
        } else {
            browser.click(&format!("select#{field} option[value='{value}']"));
        }
    }
    browser.click("form[action='/reports'] button[type=submit]");
}

/// The national workflow of issue 5 in a real browser: a provider uploads a file with an error,
/// sees the pinpointed problem, fixes and resubmits; an analyst accepts and approves it, builds a
/// geo report and sees its maps, opens the maps page, downloads the report as XLSX and the key
/// indicators as SDMX-CSV, and logs out. Screenshots of every main page are written.
#[test]
fn provider_uploads_analyst_approves_and_maps_and_downloads_in_chromium() {
    let Some((chromium, driver)) = browsers() else { return };
    let hub = hub();
    let own = hub.providers[0].clone();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    rt.spawn(server::serve_on(listener, state(&hub)));
    let tmp = tempfile::tempdir().unwrap();
    let shots = std::env::var_os("MOSY_SCREENSHOTS").map_or_else(|| tmp.path().join("shots"), PathBuf::from);
    std::fs::create_dir_all(&shots).unwrap();
    let shot = |b: &Browser, name: &str| b.screenshot(&shots.join(format!("{name}.png")));
    let browser = Browser::start(&driver, &chromium, &tmp.path().join("profile"));
    let downloads = tmp.path().join("downloads");

    // The provider uploads a file with a wrong code in one row and sees where it is.
    let bad = tmp.path().join("victims-bad.csv");
    std::fs::write(&bad, crate::submit::file_of(&own, Some("X"))).unwrap();
    let good = tmp.path().join("victims.csv");
    std::fs::write(&good, crate::submit::file_of(&own, None)).unwrap();
    login(&browser, &base, "prov-a");
    browser.go(&format!("{base}/submissions/upload"));
    shot(&browser, "upload");
    browser.choose_file("#file", &bad);
    browser.click("form[action='/submissions/upload'] button[type=submit]");
    let page = browser.wait_for(|_, page| page.contains("role=\"alert\""));
    let problems = page.find("<table").map_or(page.as_str(), |i| &page[i..]);
    assert!(problems.contains("<td class=\"n\">2</td>"), "the row of the error is named: {problems}");
    assert!(problems.contains("<td>sex</td>"), "the column of the error is named");
    assert!(!page.contains(">X<"), "the wrong value is not echoed");
    shot(&browser, "upload-error");
    // Fixed and resubmitted: stored.
    browser.go(&format!("{base}/submissions/upload"));
    browser.choose_file("#file", &good);
    browser.click("form[action='/submissions/upload'] button[type=submit]");
    let page =
        browser.wait_for(|_, page| page.contains("href=\"/submissions/") && page.contains("class=\"ok\""));
    let at = page.find("href=\"/submissions/").expect("a link to the stored submission") + "href=\"".len();
    let link = page[at..at + page[at..].find('"').unwrap()].to_string();
    assert!(link.len() > "/submissions/".len() + 30, "{link}");
    shot(&browser, "upload-ok");
    logout(&browser);

    // The analyst accepts and approves it.
    login(&browser, &base, "analyst");
    browser.go(&format!("{base}{link}"));
    browser.click("form.workflow input[value='accept'] ~ p button");
    browser.wait_for(|_, page| page.contains("value=\"approve\""));
    browser.click("form.workflow input[value='approve'] ~ p button");
    let page = browser.wait_for(|_, page| page.contains("value=\"reopen\""));
    assert!(page.contains("value=\"reopen\""), "approved and locked");
    shot(&browser, "submission-approved");

    // Tables sort by a column when its header is activated (the hub's own script).
    browser.go(&format!("{base}/providers"));
    browser.wait_for(|_, page| page.contains("<table"));
    let column = || -> Vec<String> {
        let v = browser.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": "return Array.from(document.querySelectorAll('main table tbody tr td:first-child')).map(td => td.textContent.trim());", "args": []})),
        );
        v.as_array().unwrap().iter().map(|x| x.as_str().unwrap_or("").to_string()).collect()
    };
    let before = column();
    assert!(before.len() > 2, "providers listed");
    browser.click("main table th:first-child");
    let mut sorted = before.clone();
    sorted.sort_by_key(|s| s.to_lowercase());
    assert_eq!(column(), sorted, "ascending after one click");
    browser.click("main table th:first-child");
    sorted.reverse();
    assert_eq!(column(), sorted, "descending after two");
    assert!(browser.source().contains("aria-sort=\"descending\""));

    // A geo report with its maps, then the maps page.
    run_report(
        &browser,
        &base,
        &[("kind", "geo"), ("measure", "persons"), ("level", "country"), ("format", "html")],
    );
    let page = browser.wait_for(|_, page| page.matches("<svg").count() >= 2);
    assert!(page.matches("<svg").count() >= 2, "a choropleth and a flow map");
    shot(&browser, "report-geo");
    browser.go(&format!("{base}/maps?level=country"));
    let page = browser.wait_for(|_, page| page.contains("<svg"));
    assert!(page.contains("<svg"), "the maps page shows a map");
    shot(&browser, "maps");
    browser.element_screenshot("main svg", 0, &shots.join("map-choropleth.png"));
    browser.element_screenshot("main svg", 1, &shots.join("map-flows.png"));

    // Downloads: the geo report as XLSX and the key indicators as SDMX-CSV.
    run_report(
        &browser,
        &base,
        &[("kind", "geo"), ("measure", "persons"), ("level", "country"), ("format", "xlsx")],
    );
    let xlsx = downloaded(&downloads, ".xlsx").expect("the XLSX download");
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"), "an XLSX (zip) file");
    run_report(
        &browser,
        &base,
        &[("kind", "key_indicators"), ("period", "2024"), ("audience", "national"), ("format", "sdmx")],
    );
    let sdmx = downloaded(&downloads, ".csv").unwrap_or_else(|| {
        panic!("the SDMX-CSV download; page: {}", browser.source().chars().take(3000).collect::<String>())
    });
    let text = std::fs::read_to_string(&sdmx).unwrap();
    assert!(text.starts_with("STRUCTURE,STRUCTURE_ID"), "{}", text.lines().next().unwrap_or(""));
    assert!(text.lines().count() > 10, "indicator rows");
    logout(&browser);
    shot(&browser, "logged-out");

    for name in [
        "upload",
        "upload-error",
        "upload-ok",
        "submission-approved",
        "report-geo",
        "maps",
        "map-choropleth",
        "map-flows",
        "logged-out",
    ] {
        assert!(std::fs::metadata(shots.join(format!("{name}.png"))).unwrap().len() > 1000, "{name}");
    }
    println!("screenshots in {}", shots.display());
    drop(browser);
    rt.shutdown_background();
}
