//! Reading request fields the way the cloud does: required fields missing → 222001 naming the field,
//! a field of the wrong type or value → that field's own "format error" code.

use std::path::Path;

use serde_json::{Map, Value};

use crate::decode::DecodedImage;
use crate::detect::FaceOrder;
use crate::engine::Engine;
use crate::error::{Error, ErrorCode, Result};

/// The four levels of `quality_control`, `liveness_control` and `spoofing_control`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Control {
    #[default]
    None,
    Low,
    Normal,
    High,
}

/// The quality, liveness and spoofing levels a request asks for, checked for form (223118 / 223119 /
/// 223130). Enforcing them needs the quality and liveness models; each method keeps them up to the one place
/// where it accepts a face.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FaceControls {
    pub quality: Control,
    pub liveness: Control,
    pub spoofing: Control,
}

/// The request object of one method.
pub struct Params<'a>(pub &'a Map<String, Value>);

impl<'a> Params<'a> {
    /// `value` must be a JSON object (most methods); anything else is 222200.
    pub fn new(value: &'a Value) -> Result<Self> {
        value
            .as_object()
            .map(Params)
            .ok_or_else(|| Error::new(ErrorCode::RequestNotJson))
    }

    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    pub fn str_opt(&self, key: &str, err: ErrorCode) -> Result<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(Error::new(err)),
        }
    }

    pub fn str_req(&self, key: &str, err: ErrorCode) -> Result<&'a str> {
        self.str_opt(key, err)?
            .ok_or_else(|| Error::param_null(key))
    }

    /// An integer given as a JSON number or a decimal string (the SDKs send options both ways).
    pub fn int_opt(&self, key: &str, err: ErrorCode) -> Result<Option<i64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                .map(Some)
                .ok_or_else(|| Error::new(err)),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| Error::new(err)),
            Some(_) => Err(Error::new(err)),
        }
    }

    /// An integer option within `range`, else `err`.
    pub fn int_in(
        &self,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
        default: i64,
        err: ErrorCode,
    ) -> Result<i64> {
        let v = self.int_opt(key, err)?.unwrap_or(default);
        if range.contains(&v) {
            Ok(v)
        } else {
            Err(Error::new(err))
        }
    }

    pub fn control(&self, key: &str, err: ErrorCode) -> Result<Control> {
        Ok(match self.str_opt(key, err)? {
            None | Some("NONE") => Control::None,
            Some("LOW") => Control::Low,
            Some("NORMAL") => Control::Normal,
            Some("HIGH") => Control::High,
            Some(_) => return Err(Error::new(err)),
        })
    }

    pub fn quality_control(&self) -> Result<Control> {
        self.control("quality_control", ErrorCode::QualityControlError)
    }

    pub fn liveness_control(&self) -> Result<Control> {
        self.control("liveness_control", ErrorCode::LivenessControlError)
    }

    pub fn spoofing_control(&self) -> Result<Control> {
        self.control("spoofing_control", ErrorCode::SpoofingControlError)
    }

    pub fn face_controls(&self) -> Result<FaceControls> {
        Ok(FaceControls {
            quality: self.quality_control()?,
            liveness: self.liveness_control()?,
            spoofing: self.spoofing_control()?,
        })
    }

    pub fn face_sort_type(&self) -> Result<FaceOrder> {
        Ok(
            match self.int_in("face_sort_type", 0..=1, 0, ErrorCode::FaceSortTypeFormat)? {
                0 => FaceOrder::LargestFirst,
                _ => FaceOrder::NearestCenterFirst,
            },
        )
    }

    /// `face_type` is checked against the cloud's values. facekit has one embedder for every kind of
    /// photo, so the value does not change the result.
    pub fn face_type(&self, allow_match_only: bool) -> Result<()> {
        match self.str_opt("face_type", ErrorCode::FaceTypeFormat)? {
            None | Some("LIVE" | "IDCARD" | "WATERMARK" | "CERT") => Ok(()),
            Some("INFRARED" | "HYBRID") if allow_match_only => Ok(()),
            Some(_) => Err(Error::new(ErrorCode::FaceTypeFormat)),
        }
    }

    /// The comma-separated `face_field` list (unknown names are ignored, as the cloud does).
    pub fn face_fields(&self) -> Result<Vec<&'a str>> {
        Ok(self
            .str_opt("face_field", ErrorCode::FaceFieldFormat)?
            .map(|s| {
                s.split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .collect()
            })
            .unwrap_or_default())
    }

    /// `image` + `image_type`.
    pub fn image(&self, engine: &Engine) -> Result<ImageInput> {
        let image = self.str_req("image", ErrorCode::ImageFormat)?;
        let image_type = self.str_req("image_type", ErrorCode::ImageTypeFormat)?;
        image_input(engine, image, image_type)
    }
}

/// An image as a request gives it: pixels to detect in, or a token of a face already found.
pub enum ImageInput {
    Pixels(DecodedImage),
    FaceToken(String),
}

pub fn image_input(engine: &Engine, image: &str, image_type: &str) -> Result<ImageInput> {
    match image_type {
        "BASE64" => Ok(ImageInput::Pixels(engine.decode_base64(image)?)),
        "FACE_TOKEN" => {
            if image.len() > 64
                || !image
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
            {
                return Err(Error::new(ErrorCode::FaceTokenFormat));
            }
            Ok(ImageInput::FaceToken(image.to_string()))
        }
        // facekit never goes online. A file:// URL names a local file; other URLs cannot be fetched.
        "URL" => match image.strip_prefix("file://") {
            Some(path) => Ok(ImageInput::Pixels(engine.decode_file(Path::new(path))?)),
            None => Err(Error::with_detail(
                ErrorCode::ImageUrlDownloadFail,
                "facekit is offline: only file:// URLs can be read; send BASE64 instead",
            )),
        },
        _ => Err(Error::new(ErrorCode::ImageTypeFormat)),
    }
}
