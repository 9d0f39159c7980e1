//! A tiny W3C WebDriver client over `ureq`: just what the end-to-end tests use.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The key W3C WebDriver uses for element references.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The WebDriver key code of Escape.
pub const ESCAPE: &str = "\u{E00C}";

/// A WebDriver session; deleted when dropped (WebKitWebDriver allows only one at a time).
pub struct Session {
    agent: ureq::Agent,
    base: String,
}

/// A reference to an element of the page.
#[derive(Debug, Clone)]
pub struct Element(String);

pub type Result<T> = std::result::Result<T, String>;

impl Session {
    /// Starts a session of the Tauri app at `application` through tauri-driver at `driver_url`.
    /// `args` are the app's command-line arguments (as the system would pass a `quire://` link).
    pub fn new(driver_url: &str, application: &str, args: &[&str]) -> Result<Self> {
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(90)).build();
        let capabilities = json!({
            "capabilities": { "alwaysMatch": { "tauri:options": { "application": application, "args": args } } }
        });
        let value = request(&agent, "POST", &format!("{driver_url}/session"), Some(capabilities))?;
        let id = value["sessionId"]
            .as_str()
            .ok_or_else(|| format!("new session answered without a sessionId: {value}"))?
            .to_owned();
        Ok(Self { agent, base: format!("{driver_url}/session/{id}") })
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        request(&self.agent, method, &format!("{}{path}", self.base), body)
    }

    /// All elements matching a CSS selector, in document order.
    pub fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let value = self.call("POST", "/elements", Some(json!({"using": "css selector", "value": css})))?;
        let items = value.as_array().ok_or_else(|| format!("find {css:?}: not a list: {value}"))?;
        items.iter().map(element_of).collect()
    }

    /// Waits until at least one element matches `css`, and returns them all.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Result<Vec<Element>> {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self.find_all(css)?;
            if !found.is_empty() {
                return Ok(found);
            }
            if Instant::now() > deadline {
                let body = self.find_all("body").ok().and_then(|b| b.first().cloned());
                let text = body.and_then(|b| self.text(&b).ok()).unwrap_or_default();
                return Err(format!("no element matches {css:?} after {timeout:?}; the page says: {text:?}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The rendered text of an element.
    pub fn text(&self, element: &Element) -> Result<String> {
        let value = self.call("GET", &format!("/element/{}/text", element.0), None)?;
        value.as_str().map(str::to_owned).ok_or_else(|| format!("text is not a string: {value}"))
    }

    /// An element's attribute, `None` when it has none.
    pub fn attribute(&self, element: &Element, name: &str) -> Result<Option<String>> {
        let value = self.call("GET", &format!("/element/{}/attribute/{name}", element.0), None)?;
        Ok(value.as_str().map(str::to_owned))
    }

    /// An element's DOM property as a string (e.g. `textContent`, exact, unlike [`Self::text`]);
    /// numbers and booleans in their JSON spelling (`naturalWidth` → `"640"`).
    pub fn property(&self, element: &Element, name: &str) -> Result<String> {
        let value = self.call("GET", &format!("/element/{}/property/{name}", element.0), None)?;
        match value {
            serde_json::Value::String(s) => Ok(s),
            serde_json::Value::Number(_) | serde_json::Value::Bool(_) => Ok(value.to_string()),
            other => Err(format!("property {name} is not a string, number or boolean: {other}")),
        }
    }

    pub fn click(&self, element: &Element) -> Result<()> {
        self.call("POST", &format!("/element/{}/click", element.0), Some(json!({})))?;
        Ok(())
    }

    /// Scrolls the element into the middle of the view and moves the mouse pointer onto it.
    pub fn hover(&self, element: &Element) -> Result<()> {
        let reference = json!({ ELEMENT_KEY: element.0 });
        self.execute("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", vec![reference.clone()])?;
        let actions = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "duration": 0, "origin": reference, "x": 0, "y": 0}]}]});
        self.call("POST", "/actions", Some(actions))?;
        Ok(())
    }

    /// Presses and releases one key (a character, or a WebDriver key code such as
    /// [`ESCAPE`]) on whatever has the focus.
    pub fn press_key(&self, key: &str) -> Result<()> {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
        ]}]});
        self.call("POST", "/actions", Some(actions))?;
        Ok(())
    }

    /// Runs a script in the page (`arguments[i]` are `args`) and returns its result.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.call("POST", "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    /// Runs an asynchronous script: it ends by calling its last argument with the result.
    #[allow(dead_code)] // used by the desktop benchmark
    pub fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.call("POST", "/execute/async", Some(json!({"script": script, "args": args})))
    }

    /// Types `text` into an element (it gets the focus first).
    pub fn send_keys(&self, element: &Element, text: &str) -> Result<()> {
        self.call("POST", &format!("/element/{}/value", element.0), Some(json!({"text": text})))?;
        Ok(())
    }

    /// A PNG screenshot of the page.
    pub fn screenshot_png(&self) -> Result<Vec<u8>> {
        use base64::Engine as _;
        let value = self.call("GET", "/screenshot", None)?;
        let data = value.as_str().ok_or_else(|| format!("screenshot is not a string: {value}"))?;
        base64::engine::general_purpose::STANDARD.decode(data).map_err(|e| format!("screenshot: {e}"))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = request(&self.agent, "DELETE", &self.base, None);
    }
}

fn element_of(value: &Value) -> Result<Element> {
    value[ELEMENT_KEY]
        .as_str()
        .map(|id| Element(id.to_owned()))
        .ok_or_else(|| format!("not an element reference: {value}"))
}

/// Sends one WebDriver command and returns its `value`, or the WebDriver error as text.
fn request(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Result<Value> {
    let req = agent.request(method, url);
    let response = match body {
        Some(body) => req.send_json(body),
        None => req.call(),
    };
    match response {
        Ok(response) => {
            let value: Value = response.into_json().map_err(|e| format!("{method} {url}: bad JSON: {e}"))?;
            Ok(value.get("value").cloned().unwrap_or(Value::Null))
        }
        Err(ureq::Error::Status(code, response)) => {
            let text = response.into_string().unwrap_or_default();
            Err(format!("{method} {url}: HTTP {code}: {text}"))
        }
        Err(error) => Err(format!("{method} {url}: {error}")),
    }
}
