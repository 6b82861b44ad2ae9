//! `facekit serve` over real HTTP on loopback: the token endpoint, JSON bodies under any Content-Type,
//! array bodies, and JSON-object answers for unknown paths.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use base64::Engine as _;
use serde_json::{json, Value};

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_facekit"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("facekit starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .expect("address printed")
        .to_string();
    Server { child, addr }
}

/// One HTTP/1.1 request; returns the JSON body.
fn http(addr: &str, method: &str, target: &str, content_type: &str, body: &[u8]) -> Value {
    let mut s = TcpStream::connect(addr).unwrap();
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: aip.baidubce.com\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).unwrap();
    let text = String::from_utf8(resp).unwrap();
    let (_, body) = text.split_once("\r\n\r\n").expect("HTTP response");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

fn image_b64(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(name);
    base64::engine::general_purpose::STANDARD.encode(std::fs::read(path).unwrap())
}

#[test]
fn serves_the_cloud_api_to_sdk_style_requests() {
    let server = start();
    let a = &server.addr;
    let tok = http(
        a,
        "GET",
        "/oauth/2.0/token?grant_type=client_credentials&client_id=k&client_secret=s",
        "text/plain",
        b"",
    );
    assert!(tok["scope"]
        .as_str()
        .unwrap()
        .split(' ')
        .any(|s| s == "brain_all_scope"));
    assert!(tok["expires_in"].as_u64().unwrap() >= 172_800);
    let tok = http(
        a,
        "POST",
        "/oauth/2.0/token",
        "application/x-www-form-urlencoded",
        b"grant_type=client_credentials",
    );
    assert!(tok["access_token"].is_string());

    // The Node SDK labels its JSON as a form and appends a second "?aipSdk=node" to the token.
    let detect = json!({"image": image_b64("obama.jpg"), "image_type": "BASE64"}).to_string();
    let r = http(
        a,
        "POST",
        "/rest/2.0/face/v3/detect?access_token=24.x?aipSdk=node",
        "application/x-www-form-urlencoded",
        detect.as_bytes(),
    );
    assert_eq!(r["error_code"], 0, "{r}");
    assert_eq!(r["result"]["face_num"], 1);

    let pair = json!([
        {"image": image_b64("obama.jpg"), "image_type": "BASE64"},
        {"image": image_b64("obama2.jpg"), "image_type": "BASE64"},
    ])
    .to_string();
    let r = http(
        a,
        "POST",
        "/rest/2.0/face/v3/match?access_token=t&aipSdk=python&aipVersion=4.15.13",
        "application/json",
        pair.as_bytes(),
    );
    assert_eq!(r["error_code"], 0, "{r}");
    assert!(r["result"]["score"].as_f64().unwrap() >= 80.0);

    let r = http(
        a,
        "POST",
        "/rest/2.0/face/v3/detect",
        "application/json",
        b"{broken",
    );
    assert_eq!(r["error_code"], 222200);
    let r = http(a, "POST", "/no/such/path", "application/json", b"{}");
    assert_eq!(r["error_code"], 3);
    assert!(
        r["error_code"].is_u64(),
        "error_code is an integer for the SDKs' retry logic"
    );
}
