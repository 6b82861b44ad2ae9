//! The C ABI called as C calls it: raw pointers, NUL-terminated strings, caller-owned buffers. Misuse gets an
//! error code, never a crash; the pixel fast path finds what the JSON API finds on the test photos.

use std::ffi::{c_char, CStr, CString};
use std::path::PathBuf;
use std::ptr;
use std::sync::OnceLock;

use base64::Engine as _;
use facekit::*;
use serde_json::{json, Value};

struct Shared(*mut FkEngine);
// The engine is Send + Sync (checked in the crate); the pointer is only a handle to it.
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

fn engine() -> *const FkEngine {
    static ENGINE: OnceLock<Shared> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let mut err = ptr::null_mut();
            let config = CString::new(r#"{"threads": 2}"#).unwrap();
            let e = unsafe { fk_engine_open(config.as_ptr(), &mut err) };
            assert!(!e.is_null(), "engine opens: {}", unsafe { message(err) });
            Shared(e)
        })
        .0
}

fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(name)
}

unsafe fn message(err: *const FkError) -> String {
    CStr::from_ptr(fk_error_message(err))
        .to_string_lossy()
        .into_owned()
}

/// `fk_call` with byte strings (so tests can pass bytes that are not UTF-8): its status and parsed response.
fn call_raw(
    engine: *const FkEngine,
    method: Option<&[u8]>,
    request: Option<&[u8]>,
) -> (i32, Value) {
    let method = method.map(|m| CString::new(m).unwrap());
    let request = request.map(|r| CString::new(r).unwrap());
    let mut response: *mut c_char = ptr::null_mut();
    let status = unsafe {
        fk_call(
            engine,
            method.as_ref().map_or(ptr::null(), |m| m.as_ptr()),
            request.as_ref().map_or(ptr::null(), |r| r.as_ptr()),
            &mut response,
        )
    };
    assert!(!response.is_null(), "a response is always written");
    let text = unsafe { CStr::from_ptr(response) }
        .to_str()
        .unwrap()
        .to_owned();
    unsafe { fk_string_free(response) };
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        value["error_code"], status,
        "status is the response's error_code"
    );
    (status, value)
}

fn call(method: &str, request: &Value) -> (i32, Value) {
    call_raw(
        engine(),
        Some(method.as_bytes()),
        Some(request.to_string().as_bytes()),
    )
}

#[test]
fn open_reports_bad_configs_with_codes_and_messages() {
    let open = |config: &[u8]| unsafe {
        let config = CString::new(config).unwrap();
        let mut err = ptr::null_mut();
        let e = fk_engine_open(config.as_ptr(), &mut err);
        assert!(e.is_null());
        let out = (fk_error_code(err), message(err));
        fk_error_free(err);
        out
    };
    let (code, msg) = open(b"{\"threads\": ");
    assert_eq!(code, 222200, "{msg}");
    let (code, msg) = open(br#"{"modle_dir": "/x"}"#);
    assert_eq!(code, 222200);
    assert!(msg.contains("modle_dir"), "names the unknown key: {msg}");
    let (code, _) = open(b"{\"model_dir\": \"\xff\"}");
    assert_eq!(code, 222200, "not UTF-8");
    let (code, msg) = open(br#"{"model_dir": "/nonexistent/models"}"#);
    assert_eq!(code, 222302);
    assert!(
        msg.contains("retinaface"),
        "says which file is missing: {msg}"
    );
    // Without an FkError** the failure is still just NULL.
    let config = CString::new("[").unwrap();
    assert!(unsafe { fk_engine_open(config.as_ptr(), ptr::null_mut()) }.is_null());
}

#[test]
fn errors_and_handles_tolerate_null() {
    unsafe {
        assert_eq!(fk_error_code(ptr::null()), 0);
        assert_eq!(
            CStr::from_ptr(fk_error_message(ptr::null())).to_bytes(),
            b""
        );
        fk_error_free(ptr::null_mut());
        fk_string_free(ptr::null_mut());
        fk_engine_close(ptr::null_mut());
        let version = CStr::from_ptr(fk_version()).to_str().unwrap();
        assert_eq!(version, env!("CARGO_PKG_VERSION"));
    }
}

#[test]
fn call_turns_every_misuse_into_an_envelope() {
    let e = engine();
    let (code, resp) = call_raw(ptr::null(), Some(b"detect"), Some(b"{}"));
    assert_eq!(code, 222001);
    assert_eq!(resp["error_msg"], "param[engine] is null");
    assert_eq!(call_raw(e, None, Some(b"{}")).0, 222001);
    assert_eq!(call_raw(e, Some(b"detect"), None).0, 222001);
    assert_eq!(call_raw(e, Some(b"det\xffect"), Some(b"{}")).0, 3);
    assert_eq!(
        call_raw(e, Some(b"detect"), Some(b"{\"image\": \"\xff\"}")).0,
        222200
    );
    assert_eq!(call_raw(e, Some(b"detect"), Some(b"{\"image\":")).0, 222200);
    assert_eq!(call_raw(e, Some(b"no/such/method"), Some(b"{}")).0, 3);
    let (code, resp) = call_raw(e, Some(b"/rest/2.0/face/v3/person/verify"), Some(b"{}"));
    assert_eq!(code, 6);
    assert!(resp["result"].is_null());
    let method = CString::new("detect").unwrap();
    let request = CString::new("{}").unwrap();
    let status = unsafe { fk_call(e, method.as_ptr(), request.as_ptr(), ptr::null_mut()) };
    assert_eq!(
        status, 222001,
        "no response pointer: nothing written, 222001"
    );
}

#[test]
fn call_runs_the_api() {
    let b64 = |name| {
        base64::engine::general_purpose::STANDARD.encode(std::fs::read(testdata(name)).unwrap())
    };
    let (code, resp) = call(
        "match",
        &json!([
            {"image": b64("obama.jpg"), "image_type": "BASE64"},
            {"image": b64("obama2.jpg"), "image_type": "BASE64"},
        ]),
    );
    assert_eq!(code, 0, "{resp}");
    assert!(resp["result"]["score"].as_f64().unwrap() >= 80.0, "{resp}");
    for key in ["log_id", "timestamp", "cached"] {
        assert!(resp.get(key).is_some());
    }
}

/// `fk_sdk_call` with optional strings: its status and parsed response.
fn sdk_call(sdk: &str, method: &str, args: Option<&str>, options: Option<&str>) -> (i32, Value) {
    let [sdk, method] = [sdk, method].map(|s| CString::new(s).unwrap());
    let [args, options] = [args, options].map(|s| s.map(|s| CString::new(s).unwrap()));
    let ptr_of = |s: &Option<CString>| s.as_ref().map_or(ptr::null(), |s| s.as_ptr());
    let mut response: *mut c_char = ptr::null_mut();
    let status = unsafe {
        fk_sdk_call(
            engine(),
            sdk.as_ptr(),
            method.as_ptr(),
            ptr_of(&args),
            ptr_of(&options),
            &mut response,
        )
    };
    assert!(!response.is_null(), "a response is always written");
    let value: Value =
        serde_json::from_str(unsafe { CStr::from_ptr(response) }.to_str().unwrap()).unwrap();
    unsafe { fk_string_free(response) };
    assert_eq!(value["error_code"], status);
    (status, value)
}

#[test]
fn sdk_call_speaks_each_sdks_names() {
    let photo = base64::engine::general_purpose::STANDARD
        .encode(std::fs::read(testdata("obama.jpg")).unwrap());
    let args = json!([photo, "BASE64", "sdk_abi", "obama"]).to_string();
    let (code, resp) = sdk_call(
        "csharp",
        "UserAdd",
        Some(&args),
        Some(r#"{"user_info": "张三"}"#),
    );
    assert_eq!(code, 0, "{resp}");
    let (code, resp) = sdk_call("java", "getUser", Some(r#"["obama", "sdk_abi"]"#), None);
    assert_eq!(code, 0, "{resp}");
    assert_eq!(resp["result"]["user_list"][0]["user_info"], "张三");
    // The C# SDK has no method of Python's name, and no SDK is called "ruby".
    assert_eq!(sdk_call("csharp", "addUser", Some("[]"), None).0, 3);
    assert_eq!(sdk_call("ruby", "detect", Some("[]"), None).0, 3);
    assert_eq!(sdk_call("java", "detect", Some("{}"), None).0, 222200);
    assert_eq!(
        sdk_call("java", "detect", Some("[]"), Some("[1]")).0,
        222200
    );
    assert_eq!(sdk_call("java", "detect", None, None).0, 222001);
    assert_eq!(
        sdk_call("java", "groupDelete", Some(r#"["sdk_abi"]"#), None).0,
        0
    );
}

#[test]
fn shared_handles_share_one_engine_until_the_last_closes() {
    let config = CString::new(r#"{"threads": 2}"#).unwrap();
    let (a, b) = unsafe {
        let mut err = ptr::null_mut();
        let a = fk_engine_open_shared(config.as_ptr(), &mut err);
        let b = fk_engine_open_shared(config.as_ptr(), &mut err);
        assert!(!a.is_null() && !b.is_null() && err.is_null());
        (a, b)
    };
    let call_on = |e: *const FkEngine, method: &str, request: &str| {
        call_raw(e, Some(method.as_bytes()), Some(request.as_bytes()))
    };
    assert_eq!(
        call_on(a, "faceset/group/add", r#"{"group_id": "shared_abi"}"#).0,
        0
    );
    let (code, resp) = call_on(b, "faceset/group/getlist", "{}");
    assert_eq!(code, 0);
    assert!(resp["result"]["group_id_list"]
        .as_array()
        .unwrap()
        .contains(&json!("shared_abi")));
    unsafe { fk_engine_close(a) };
    assert_eq!(
        call_on(b, "faceset/group/delete", r#"{"group_id": "shared_abi"}"#).0,
        0
    );
    unsafe { fk_engine_close(b) };
    let bad = CString::new("{\"threads\": ").unwrap();
    let mut err = ptr::null_mut();
    assert!(unsafe { fk_engine_open_shared(bad.as_ptr(), &mut err) }.is_null());
    assert_eq!(unsafe { fk_error_code(err) }, 222200);
    unsafe { fk_error_free(err) };
}

/// A test photo as packed RGB rows, cropped to even sides (for NV21).
fn rgb_photo(name: &str) -> (Vec<u8>, u32, u32) {
    let img = image::open(testdata(name)).unwrap().to_rgb8();
    let (w, h) = (img.width() & !1, img.height() & !1);
    let img = image::imageops::crop_imm(&img, 0, 0, w, h).to_image();
    (img.into_raw(), w, h)
}

/// The same pixels in `format`, each row padded by `pad` bytes.
fn convert(rgb: &[u8], w: u32, h: u32, format: FkPixelFormat, pad: usize) -> (Vec<u8>, usize) {
    let (w, h) = (w as usize, h as usize);
    let px = |x: usize, y: usize| {
        let i = (y * w + x) * 3;
        [rgb[i], rgb[i + 1], rgb[i + 2]]
    };
    let luma = |[r, g, b]: [u8; 3]| 0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32;
    let bpp = match format {
        FK_PIXEL_RGB8 | FK_PIXEL_BGR8 => 3,
        FK_PIXEL_RGBA8 | FK_PIXEL_BGRA8 => 4,
        _ => 1,
    };
    let stride = w * bpp + pad;
    let rows = if format == FK_PIXEL_NV21 {
        h + h / 2
    } else {
        h
    };
    let mut out = vec![0u8; stride * rows];
    for y in 0..h {
        for x in 0..w {
            let [r, g, b] = px(x, y);
            let at = y * stride + x * bpp;
            let bytes: &[u8] = match format {
                FK_PIXEL_RGB8 => &[r, g, b],
                FK_PIXEL_BGR8 => &[b, g, r],
                FK_PIXEL_RGBA8 => &[r, g, b, 255],
                FK_PIXEL_BGRA8 => &[b, g, r, 255],
                _ => &[luma([r, g, b]).round() as u8],
            };
            out[at..at + bytes.len()].copy_from_slice(bytes);
        }
    }
    if format == FK_PIXEL_NV21 {
        // Chroma of each 2×2 block, averaged, full-range BT.601, V before U.
        for by in 0..h / 2 {
            for bx in 0..w / 2 {
                let (mut u, mut v) = (0f32, 0f32);
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let p = px(bx * 2 + dx, by * 2 + dy);
                    let y = luma(p);
                    u += 128.0 + (p[2] as f32 - y) / 1.772;
                    v += 128.0 + (p[0] as f32 - y) / 1.402;
                }
                let at = (h + by) * stride + bx * 2;
                out[at] = (v / 4.0).round().clamp(0.0, 255.0) as u8;
                out[at + 1] = (u / 4.0).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    (out, stride)
}

struct Frame {
    data: Vec<u8>,
    width: u32,
    height: u32,
    stride: usize,
    format: FkPixelFormat,
}

impl Frame {
    fn of(name: &str, format: FkPixelFormat, pad: usize) -> Frame {
        let (rgb, width, height) = rgb_photo(name);
        let (data, stride) = convert(&rgb, width, height, format, pad);
        Frame {
            data,
            width,
            height,
            stride,
            format,
        }
    }

    fn detect(&self, capacity: usize) -> Result<Vec<FkFace>, (i32, String)> {
        let mut faces = vec![blank_face(); capacity];
        let mut count = usize::MAX;
        let mut err = ptr::null_mut();
        let status = unsafe {
            fk_detect_pixels(
                engine(),
                self.data.as_ptr(),
                self.data.len(),
                self.width,
                self.height,
                self.stride,
                self.format,
                faces.as_mut_ptr(),
                faces.len(),
                &mut count,
                &mut err,
            )
        };
        finish(status, err, count, faces)
    }

    fn extract(&self, capacity: usize, features: &mut [f32]) -> Result<Vec<FkFace>, (i32, String)> {
        let mut faces = vec![blank_face(); capacity];
        let mut count = usize::MAX;
        let mut err = ptr::null_mut();
        let status = unsafe {
            fk_extract_feature_pixels(
                engine(),
                self.data.as_ptr(),
                self.data.len(),
                self.width,
                self.height,
                self.stride,
                self.format,
                faces.as_mut_ptr(),
                faces.len(),
                features.as_mut_ptr(),
                features.len(),
                &mut count,
                &mut err,
            )
        };
        finish(status, err, count, faces)
    }
}

fn blank_face() -> FkFace {
    FkFace {
        left: -1.0,
        top: -1.0,
        width: -1.0,
        height: -1.0,
        score: -1.0,
        landmarks: [-1.0; 10],
        face_token: [0; FK_FACE_TOKEN_SIZE],
    }
}

fn finish(
    status: i32,
    err: *mut FkError,
    count: usize,
    mut faces: Vec<FkFace>,
) -> Result<Vec<FkFace>, (i32, String)> {
    unsafe {
        if status == 0 {
            assert!(err.is_null());
            faces.truncate(count);
            Ok(faces)
        } else {
            assert_eq!(count, 0, "face_count is zeroed on failure");
            assert_eq!(fk_error_code(err), status);
            let msg = message(err);
            fk_error_free(err);
            Err((status, msg))
        }
    }
}

fn token(face: &FkFace) -> String {
    unsafe { CStr::from_ptr(face.face_token.as_ptr()) }
        .to_str()
        .unwrap()
        .to_owned()
}

fn iou(a: &FkFace, b: &Value) -> f32 {
    let f = |k: &str| b[k].as_f64().unwrap() as f32;
    let (bl, bt, bw, bh) = (f("left"), f("top"), f("width"), f("height"));
    let ix = (a.left + a.width).min(bl + bw) - a.left.max(bl);
    let iy = (a.top + a.height).min(bt + bh) - a.top.max(bt);
    let inter = ix.max(0.0) * iy.max(0.0);
    inter / (a.width * a.height + bw * bh - inter)
}

#[test]
fn every_pixel_format_finds_the_faces_the_json_api_finds() {
    let b64 = base64::engine::general_purpose::STANDARD
        .encode(std::fs::read(testdata("obama.jpg")).unwrap());
    let (code, resp) = call(
        "detect",
        &json!({"image": b64, "image_type": "BASE64", "max_face_num": 10}),
    );
    assert_eq!(code, 0);
    let reference = &resp["result"]["face_list"];
    assert_eq!(reference.as_array().unwrap().len(), 1);
    let location = &reference[0]["location"];
    for (format, pad) in [
        (FK_PIXEL_RGB8, 0),
        (FK_PIXEL_BGR8, 7),
        (FK_PIXEL_RGBA8, 0),
        (FK_PIXEL_BGRA8, 16),
        (FK_PIXEL_GRAY8, 3),
        (FK_PIXEL_NV21, 2),
    ] {
        let faces = Frame::of("obama.jpg", format, pad).detect(4).unwrap();
        // Colour layouts carry the JPEG's pixels (less one row): the same single face, the same box. Grey
        // loses the colour that tells a dark suit from a face: the detector adds a false 0.89 "face" there.
        let (f, min_iou) = if format <= FK_PIXEL_BGRA8 {
            assert_eq!(faces.len(), 1, "format {format}");
            (&faces[0], 0.99)
        } else {
            let best = faces
                .iter()
                .max_by(|a, b| iou(a, location).total_cmp(&iou(b, location)))
                .expect("a face");
            (best, 0.9)
        };
        assert!(
            iou(f, location) > min_iou,
            "format {format}: {f:?} vs {location}"
        );
        assert!(f.score > 0.99);
        assert!(
            f.landmarks[0] < f.landmarks[2],
            "left eye left of the right eye"
        );
        assert!(f.landmarks[1] > f.top && f.landmarks[9] < f.top + f.height);
        assert_eq!(token(f), "", "detection keeps nothing of a frame");
    }
}

#[test]
fn a_frame_token_works_in_the_json_api() {
    let mut features = vec![0f32; FK_FEATURE_DIM];
    let obama = Frame::of("obama.jpg", FK_PIXEL_RGB8, 0)
        .extract(1, &mut features)
        .unwrap();
    let obama2 = Frame::of("obama2.jpg", FK_PIXEL_NV21, 0)
        .extract(1, &mut features)
        .unwrap();
    assert_eq!(token(&obama[0]).len(), 32);
    let (code, resp) = call(
        "match",
        &json!([
            {"image": token(&obama[0]), "image_type": "FACE_TOKEN"},
            {"image": token(&obama2[0]), "image_type": "FACE_TOKEN"},
        ]),
    );
    assert_eq!(code, 0, "{resp}");
    assert!(resp["result"]["score"].as_f64().unwrap() >= 80.0, "{resp}");

    // Registered and searched by frame tokens alone.
    let add = json!({"image": token(&obama[0]), "image_type": "FACE_TOKEN", "group_id": "frames", "user_id": "obama"});
    assert_eq!(call("faceset/user/add", &add).0, 0);
    let query =
        json!({"image": token(&obama2[0]), "image_type": "FACE_TOKEN", "group_id_list": "frames"});
    let (code, resp) = call("search", &query);
    assert_eq!(code, 0, "{resp}");
    assert_eq!(resp["result"]["user_list"][0]["user_id"], "obama");
}

#[test]
fn features_of_frames_compare_like_match() {
    let dim = FK_FEATURE_DIM;
    let vector = |name: &str, format| {
        let mut features = vec![f32::NAN; 2 * dim];
        let faces = Frame::of(name, format, 0)
            .extract(2, &mut features)
            .unwrap();
        assert_eq!(faces.len(), 1);
        assert!(
            features[dim..].iter().all(|v| v.is_nan()),
            "only the found face's row is written"
        );
        features.truncate(dim);
        features
    };
    let score = |a: &[f32], b: &[f32]| {
        let mut s = -1f32;
        let status =
            unsafe { fk_compare_features(a.as_ptr(), b.as_ptr(), dim, &mut s, ptr::null_mut()) };
        assert_eq!(status, 0);
        s
    };
    let obama = vector("obama.jpg", FK_PIXEL_RGB8);
    let obama2 = vector("obama2.jpg", FK_PIXEL_BGRA8);
    let biden = vector("biden.jpg", FK_PIXEL_NV21);
    assert!(score(&obama, &obama2) >= 80.0, "{}", score(&obama, &obama2));
    assert!(score(&obama, &biden) < 80.0, "{}", score(&obama, &biden));
    assert!(score(&obama, &obama) > 99.9);

    // The same vector v1/feature returns for the same pixels.
    let (rgb, w, h) = rgb_photo("obama.jpg");
    let mut png = Vec::new();
    image::RgbImage::from_raw(w, h, rgb)
        .unwrap()
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let png_path = std::env::temp_dir().join(format!("facekit-abi-{}.png", std::process::id()));
    std::fs::write(&png_path, png).unwrap();
    let (code, resp) = call(
        "v1/feature",
        &json!({"image": format!("file://{}", png_path.display()), "image_type": "URL"}),
    );
    std::fs::remove_file(&png_path).unwrap();
    assert_eq!(code, 0, "{resp}");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(resp["result"]["face_list"][0]["feature"].as_str().unwrap())
        .unwrap();
    let from_json: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect();
    assert_eq!(from_json, obama);
}

#[test]
fn bad_sizes_and_pointers_are_errors() {
    let good = Frame::of("biden.jpg", FK_PIXEL_RGB8, 0);
    let with = |f: &dyn Fn(&mut Frame)| {
        let mut frame = Frame {
            data: good.data.clone(),
            ..good
        };
        f(&mut frame);
        frame.detect(2).unwrap_err()
    };
    // One byte short of the last row.
    assert_eq!(with(&|f| f.data.truncate(f.data.len() - 1)).0, 222203);
    // A stride below one row of pixels, and a height the buffer cannot hold.
    assert_eq!(with(&|f| f.stride = f.width as usize * 3 - 1).0, 222203);
    assert_eq!(with(&|f| f.height += 1).0, 222203);
    assert_eq!(with(&|f| f.width = 0).0, 222203);
    let (code, msg) = with(&|f| f.stride = usize::MAX / 2);
    assert_eq!(code, 222203, "{msg}");
    assert_eq!(with(&|f| f.width = 7000).0, 222304);
    assert_eq!(with(&|f| f.format = 6).0, 222015);
    // Read as NV21 with the same stride, the buffer lacks the chroma rows (1.5 × height rows needed).
    assert_eq!(with(&|f| f.format = FK_PIXEL_NV21).0, 222203);

    let mut faces = [blank_face(); 2];
    let mut count = 0usize;
    let mut features = [0f32; FK_FEATURE_DIM];
    let d = &good;
    let detect = |engine, data: *const u8, faces: *mut FkFace, capacity, count: *mut usize| unsafe {
        let mut err = ptr::null_mut();
        let status = fk_detect_pixels(
            engine,
            data,
            d.data.len(),
            d.width,
            d.height,
            d.stride,
            d.format,
            faces,
            capacity,
            count,
            &mut err,
        );
        assert_eq!(fk_error_code(err), status);
        fk_error_free(err);
        status
    };
    let fp = faces.as_mut_ptr();
    assert_eq!(
        detect(ptr::null(), d.data.as_ptr(), fp, 2, &mut count),
        222001
    );
    assert_eq!(detect(engine(), ptr::null(), fp, 2, &mut count), 222001);
    assert_eq!(
        detect(engine(), d.data.as_ptr(), ptr::null_mut(), 2, &mut count),
        222001
    );
    assert_eq!(detect(engine(), d.data.as_ptr(), fp, 0, &mut count), 216100);
    assert_eq!(
        detect(engine(), d.data.as_ptr(), fp, 2, ptr::null_mut()),
        222001
    );
    let misaligned = unsafe { fp.cast::<u8>().add(1).cast::<FkFace>() };
    assert_eq!(
        detect(engine(), d.data.as_ptr(), misaligned, 1, &mut count),
        216100
    );
    assert_eq!(
        detect(engine(), d.data.as_ptr(), fp, usize::MAX / 8, &mut count),
        216100
    );

    // Features: room for 1 face but capacity 2 is refused before any work.
    let (code, msg) = d.extract(2, &mut features).unwrap_err();
    assert_eq!(code, 216100);
    assert!(msg.contains("need 256"), "{msg}");
    let mut s = 0f32;
    let compare = |a: *const f32, dim, score: *mut f32| unsafe {
        fk_compare_features(a, features.as_ptr(), dim, score, ptr::null_mut())
    };
    assert_eq!(
        compare(features.as_ptr(), FK_FEATURE_DIM - 1, &mut s),
        216100
    );
    assert_eq!(compare(ptr::null(), FK_FEATURE_DIM, &mut s), 222001);
    assert_eq!(
        compare(features.as_ptr(), FK_FEATURE_DIM, ptr::null_mut()),
        222001
    );
}

#[test]
fn an_empty_frame_has_no_faces_and_no_error() {
    let frame = Frame {
        data: vec![128u8; 64 * 48],
        width: 64,
        height: 48,
        stride: 0,
        format: FK_PIXEL_GRAY8,
    };
    assert_eq!(frame.detect(3).unwrap().len(), 0);
    let mut features = vec![0f32; FK_FEATURE_DIM];
    assert_eq!(frame.extract(1, &mut features).unwrap().len(), 0);
}

#[test]
fn one_engine_serves_many_threads() {
    let frame = Frame::of("biden.jpg", FK_PIXEL_BGR8, 0);
    let tokens: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let frame = &frame;
                s.spawn(move || {
                    if i % 2 == 1 {
                        let bad = json!({"image": "x", "image_type": "BASE64"});
                        assert_eq!(call("detect", &bad).0, 222013);
                    }
                    let mut features = vec![0f32; FK_FEATURE_DIM];
                    token(&frame.extract(1, &mut features).unwrap()[0])
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(tokens[0].len(), 32);
    assert!(
        tokens.iter().all(|t| *t == tokens[0]),
        "same frame, same token: {tokens:?}"
    );
}
