//! Errors as the Baidu V3 API reports them: a numeric `error_code` and its fixed English `error_msg`.
//!
//! Every failure of the engine, from a bad base64 string to a missing model file, is one [`Error`], so the
//! JSON layer, the C ABI and the bindings all report the same code for the same fault.

use std::fmt;

/// The error codes facekit returns, with the `error_msg` strings of the cloud service (spec §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    UnknownError = 1,
    UnsupportedMethod = 3,
    ParamNull = 222001,
    StartFormat = 222002,
    LengthFormat = 222003,
    GroupIdListFormat = 222005,
    GroupIdFormat = 222006,
    UidFormat = 222007,
    UserInfoFormat = 222010,
    ImageFormat = 222013,
    ImageTypeFormat = 222015,
    MaxFaceNumFormat = 222016,
    FaceFieldFormat = 222017,
    UserIdFormat = 222018,
    QualityControlFormat = 222019,
    LivenessControlFormat = 222020,
    MaxUserNumFormat = 222021,
    FaceTypeFormat = 222024,
    FaceTokenFormat = 222025,
    MatchThresholdFormat = 222030,
    FaceSortTypeFormat = 222039,
    DisplayCorpImageFormat = 222043,
    MergeDegreeFormat = 222101,
    FaceLocationFormat = 222102,
    RequestNotJson = 222200,
    NoFace = 222202,
    ImageCheckFail = 222203,
    ImageUrlDownloadFail = 222204,
    MatchUserNotFound = 222207,
    ImageCountIncorrect = 222208,
    FaceTokenNotExist = 222209,
    UserFacesBeyondLimit = 222210,
    TemplateQualityReject = 222211,
    MergeFaceFail = 222212,
    AddFaceFail = 222300,
    GetFaceFail = 222301,
    SystemError = 222302,
    ImageTooLarge = 222304,
    GroupNotExist = 223100,
    GroupAlreadyExist = 223101,
    UserAlreadyExist = 223102,
    UserNotExist = 223103,
    GroupListTooLarge = 223104,
    FaceAlreadyExist = 223105,
    FaceNotExist = 223106,
    DstGroupNotExist = 223111,
    FaceCovered = 223113,
    FaceFuzzy = 223114,
    FaceLightNotGood = 223115,
    IncompleteFace = 223116,
    QualityControlError = 223118,
    LivenessControlError = 223119,
    LivenessCheckFail = 223120,
    LeftEyeOcclusion = 223121,
    RightEyeOcclusion = 223122,
    LeftCheekOcclusion = 223123,
    RightCheekOcclusion = 223124,
    ChinContourOcclusion = 223125,
    NoseOcclusion = 223126,
    MouthOcclusion = 223127,
    FaceNotForward = 223129,
    SpoofingControlError = 223130,
    SpoofingCheckFail = 223131,
    /// Identity checks against the public-security database (person/verify, idmatch, …) cannot run offline.
    /// The cloud answers 6 when an app has no permission for an API; that is what an offline engine is.
    NoPermission = 6,
    /// A parameter without a code of its own is out of range (`v1/feature`'s prob_threshold, min_face_size).
    InvalidParam = 216100,
}

impl ErrorCode {
    /// The cloud's `error_msg` for this code, typos included where they are part of the wire format.
    pub fn message(self) -> &'static str {
        use ErrorCode::*;
        match self {
            UnknownError => "Unknown error",
            UnsupportedMethod => "Unsupported openapi method",
            NoPermission => "no permission to access data",
            InvalidParam => "invalid param",
            ParamNull => "param[] is null",
            StartFormat => "param[start] format error",
            LengthFormat => "param[length] format error",
            GroupIdListFormat => "param[group_id_list] format error",
            GroupIdFormat => "group_id format error",
            UidFormat => "uid format error",
            UserInfoFormat => "user_info format error",
            ImageFormat => "param[image] format error",
            ImageTypeFormat => "param[image_type] format error",
            MaxFaceNumFormat => "param[max_face_num] format error",
            FaceFieldFormat => "param[face_field] format error",
            UserIdFormat => "param[user_id] format error",
            QualityControlFormat => "param[quality_control] format error",
            LivenessControlFormat => "param[liveness_control] format error",
            MaxUserNumFormat => "param[max_user_num] format error",
            FaceTypeFormat => "param[face_type] format error",
            FaceTokenFormat => "param[face_token] format error",
            MatchThresholdFormat => "param[match_threshold] format error",
            FaceSortTypeFormat => "param[face_sort_type] format error",
            DisplayCorpImageFormat => "param[display_corp_image] format error",
            MergeDegreeFormat => "param[merge_degree] format error",
            FaceLocationFormat => "param[face_location] format error",
            RequestNotJson => "request body should be json format",
            NoFace => "pic not has face",
            ImageCheckFail => "image check fail",
            ImageUrlDownloadFail => "image_url_download_fail",
            MatchUserNotFound => "match user is not found",
            ImageCountIncorrect => "the number of image is incorrect",
            FaceTokenNotExist => "face token not exist",
            UserFacesBeyondLimit => "the number of user's faces is beyond the limit",
            TemplateQualityReject => "template image quality reject",
            MergeFaceFail => "merge face fail",
            AddFaceFail => "add face fail",
            GetFaceFail => "get face fail",
            SystemError => "system error",
            ImageTooLarge => "image size is too large",
            GroupNotExist => "group is not exist",
            GroupAlreadyExist => "group is already exist",
            UserAlreadyExist => "user is already exist",
            UserNotExist => "user is not exist",
            GroupListTooLarge => "group_list is too large",
            FaceAlreadyExist => "face is already exist",
            FaceNotExist => "face is not exist",
            DstGroupNotExist => "dst group is not exist",
            FaceCovered => "face is covered",
            FaceFuzzy => "face is fuzzy",
            FaceLightNotGood => "face light is not good",
            IncompleteFace => "incomplete face",
            QualityControlError => "quality control error",
            LivenessControlError => "liveness control item error",
            LivenessCheckFail => "liveness check fail",
            LeftEyeOcclusion => "left eye is occlusion",
            RightEyeOcclusion => "right eye is occlusion",
            LeftCheekOcclusion => "left cheek is occlusion",
            RightCheekOcclusion => "right cheek is occlusion",
            ChinContourOcclusion => "chin contour is occlusion",
            NoseOcclusion => "nose is occlusion",
            MouthOcclusion => "mouth is occlusion",
            FaceNotForward => "face not forward",
            SpoofingControlError => "spoofing_control item error",
            SpoofingCheckFail => "spoofing check fail",
        }
    }

    pub fn code(self) -> u32 {
        self as u32
    }
}

/// One failure: the API code, the message the API prints, and (for logs and the C ABI) what exactly went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: ErrorCode,
    /// The `error_msg` of the response. For most codes it is the cloud's fixed string; `param[x] is null` and
    /// `system error` name the field or the fault.
    pub message: String,
    /// Extra context for a developer (which file, which byte); never part of the JSON response.
    pub detail: Option<String>,
}

impl Error {
    pub fn new(code: ErrorCode) -> Self {
        Error {
            code,
            message: code.message().to_string(),
            detail: None,
        }
    }

    pub fn with_detail(code: ErrorCode, detail: impl Into<String>) -> Self {
        Error {
            code,
            message: code.message().to_string(),
            detail: Some(detail.into()),
        }
    }

    /// 222001 naming the missing field, as the cloud does (`param[image] is null`).
    pub fn param_null(field: &str) -> Self {
        Error {
            code: ErrorCode::ParamNull,
            message: format!("param[{field}] is null"),
            detail: None,
        }
    }

    /// An internal fault (model, runtime, storage): code 222302 with the cause in `detail`.
    pub fn system(detail: impl Into<String>) -> Self {
        Error::with_detail(ErrorCode::SystemError, detail)
    }

    pub fn code(&self) -> u32 {
        self.code.code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code(), self.message)?;
        if let Some(d) = &self.detail {
            write!(f, " ({d})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Runs `body` with a panic becoming error 222302 (system error) whose detail is the panic's message: what every
/// foreign boundary (the C ABI, JNI) needs, since no panic may unwind into C or the JVM.
pub fn catch_panic<T>(body: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(no message)");
        Err(Error::system(format!("internal panic: {message}")))
    })
}

impl From<ErrorCode> for Error {
    fn from(code: ErrorCode) -> Self {
        Error::new(code)
    }
}

impl From<ort::Error> for Error {
    fn from(e: ort::Error) -> Self {
        Error::system(format!("onnxruntime: {e}"))
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::system(format!("face library: {e}"))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
