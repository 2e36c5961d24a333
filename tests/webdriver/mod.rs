//! Just enough of the W3C WebDriver protocol to drive Debian's headless Chromium through
//! `chromedriver`, over the crate's own small HTTP client (no browser library to install).

use raleur::exercise::client::http;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn find(candidates: &[&str]) -> String {
    candidates
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or_else(|| panic!("none of {candidates:?}: install Debian's chromium and chromium-driver (.ci/run does)"))
        .to_string()
}

impl Browser {
    /// Chromium, headless, in a window of `width` × `height`.
    pub fn start(width: u32, height: u32) -> Browser {
        let driver_path = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]);
        let binary = find(&["/usr/bin/chromium", "/usr/lib/chromium/chromium"]);
        let port = free_port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while http("GET", &base, "/status", None, None).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not answer");
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": binary,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         format!("--window-size={width},{height}"), "--lang=fr-FR"],
            }
        }}});
        let (status, body) = http(
            "POST",
            &base,
            "/session",
            None,
            Some(&capabilities.to_string()),
        )
        .expect("a session");
        assert_eq!(status, 200, "{body}");
        let value: Value = serde_json::from_str(&body).unwrap();
        let session = value["value"]["sessionId"].as_str().unwrap().to_string();
        Browser {
            driver,
            base,
            session,
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let body = body.map(|b| b.to_string());
        let (status, text) = http(method, &self.base, &path, None, body.as_deref())
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert_eq!(status, 200, "{method} {path}: {text}");
        value["value"].clone()
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn element(&self, css: &str) -> Option<String> {
        let path = format!("/session/{}/element", self.session);
        let body = json!({"using": "css selector", "value": css}).to_string();
        let (status, text) = http("POST", &self.base, &path, None, Some(&body)).ok()?;
        let value: Value = serde_json::from_str(&text).ok()?;
        (status == 200).then(|| value["value"][ELEMENT].as_str().map(str::to_string))?
    }

    /// The element `css`, waited for (up to 10 s).
    pub fn get(&self, css: &str) -> String {
        self.wait(&format!("{css} to appear"), 10, || self.element(css))
    }

    /// Clicks `css`, found again if the page replaced it meanwhile.
    pub fn click(&self, css: &str) {
        for _ in 0..5 {
            let id = self.get(css);
            let path = format!("/session/{}/element/{id}/click", self.session);
            let (status, text) = http("POST", &self.base, &path, None, Some("{}"))
                .unwrap_or_else(|e| panic!("click {css}: {e}"));
            if status == 200 {
                return;
            }
            assert!(text.contains("stale element"), "click {css}: {text}");
        }
        panic!("click {css}: the page kept replacing it");
    }

    pub fn fill(&self, css: &str, text: &str) {
        let id = self.get(css);
        self.call("POST", &format!("/element/{id}/clear"), Some(json!({})));
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        );
    }

    pub fn text(&self, css: &str) -> String {
        let id = self.get(css);
        self.call("GET", &format!("/element/{id}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Runs `script` in the page (its arguments in `arguments`) and gives back its value.
    pub fn script(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Runs an async `script` whose last argument is the callback to call with the result.
    pub fn script_async(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Polls `probe` until it gives a value, failing after `seconds`.
    pub fn wait<T>(&self, what: &str, seconds: u64, mut probe: impl FnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            if let Some(value) = probe() {
                return value;
            }
            if Instant::now() >= deadline {
                let said = self.script(
                    "const m = document.getElementById('message'); return m ? m.textContent : document.title",
                    json!([]),
                );
                let shot = std::env::temp_dir().join("raleur-webdriver-timeout.png");
                let _ = std::fs::write(&shot, self.screenshot());
                panic!(
                    "waited {seconds} s for {what}; the page says {said} (screenshot: {})",
                    shot.display()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the text of `css` contains `needle`.
    pub fn wait_text(&self, css: &str, needle: &str, seconds: u64) -> String {
        self.wait(&format!("{needle:?} in {css}"), seconds, || {
            let text = self.text(css);
            text.contains(needle).then_some(text)
        })
    }

    pub fn windows(&self) -> Vec<String> {
        self.call("GET", "/window/handles", None)
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|h| h.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn switch_to(&self, handle: &str) {
        self.call("POST", "/window", Some(json!({ "handle": handle })));
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        let encoded = self.call("GET", "/screenshot", None);
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap_or_default())
            .expect("a base64 PNG")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(
            "DELETE",
            &self.base,
            &format!("/session/{}", self.session),
            None,
            None,
        );
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
