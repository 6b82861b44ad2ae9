//! `faceset/*`: the face library's groups, users and faces (spec §2.5). Write methods answer with
//! `"result": null`, as the cloud does.

use serde_json::{json, Value};

use super::faces::{self, RequestFace};
use super::params::{image_input, Params};
use crate::detect::FaceOrder;
use crate::engine::Engine;
use crate::error::{Error, ErrorCode, Result};
use crate::faceset::{
    check_user_info, AddMode, Enrolment, GroupId, GroupScope, NewFace, UserId, ALL_GROUPS,
};

/// `length` of the list methods: default 100, at most 1000.
const MAX_LIST_LENGTH: i64 = 1000;
const DEFAULT_LIST_LENGTH: i64 = 100;
/// A face_token is at most 64 bytes of letters, digits and `_` (spec §1.7).
const MAX_FACE_TOKEN_BYTES: usize = 64;

fn group_id(p: &Params, key: &str) -> Result<GroupId> {
    GroupId::parse(p.str_req(key, ErrorCode::GroupIdFormat)?)
}

fn user_id(p: &Params) -> Result<UserId> {
    UserId::parse(p.str_req("user_id", ErrorCode::UserIdFormat)?)
}

/// `group_id` of user/get and user/delete: one group or `@ALL`.
fn group_scope(p: &Params) -> Result<GroupScope> {
    match p.str_req("group_id", ErrorCode::GroupIdFormat)? {
        ALL_GROUPS => Ok(GroupScope::All),
        g => Ok(GroupScope::Only(vec![GroupId::parse(g)?])),
    }
}

/// `start` (default 0) and `length` (default 100, at most 1000) of the list methods.
fn page(p: &Params) -> Result<(usize, usize)> {
    let start = p.int_in("start", 0..=u32::MAX as i64, 0, ErrorCode::StartFormat)?;
    let length = p.int_in(
        "length",
        1..=MAX_LIST_LENGTH,
        DEFAULT_LIST_LENGTH,
        ErrorCode::LengthFormat,
    )?;
    Ok((start as usize, length as usize))
}

/// user/add and user/update: detect (or look up) the face, embed it, store it.
fn register(engine: &Engine, request: &Value, update: bool) -> Result<Value> {
    let p = Params::new(request)?;
    let image = p.str_req("image", ErrorCode::ImageFormat)?;
    let image_type = p.str_req("image_type", ErrorCode::ImageTypeFormat)?;
    let group = group_id(&p, "group_id")?;
    let user = user_id(&p)?;
    let user_info = p.str_opt("user_info", ErrorCode::UserInfoFormat)?;
    if let Some(info) = user_info {
        check_user_info(info)?;
    }
    let controls = p.face_controls()?;
    // action_type has no error code of its own in the spec; a value outside the documented ones is a
    // malformed request (222200).
    let mode = match (update, p.str_opt("action_type", ErrorCode::RequestNotJson)?) {
        (false, None | Some("APPEND")) => AddMode::Append,
        (true, None | Some("UPDATE")) => AddMode::Update,
        (_, Some("REPLACE")) => AddMode::Replace,
        (_, Some(other)) => {
            return Err(Error::with_detail(
                ErrorCode::RequestNotJson,
                format!("action_type {other:?}"),
            ))
        }
    };
    // user/update has no face_sort_type: it takes the largest face.
    let order = if update {
        FaceOrder::LargestFirst
    } else {
        p.face_sort_type()?
    };
    let input = image_input(engine, image, image_type)?;
    let face = faces::request_faces(engine, input, 1, order)?.remove(0);
    // Quality, liveness and spoofing are enforced on `face` here against `controls` (issue 7); until then
    // they are only checked for form.
    let _ = controls;
    let new_face = new_face(engine, &face)?;
    engine.faceset().add_face(Enrolment {
        group,
        user,
        user_info: user_info.map(str::to_string),
        mode,
        face: new_face,
    })?;
    Ok(json!({
        "face_token": face.token,
        "location": faces::location_json(&face.face_box),
    }))
}

fn new_face(engine: &Engine, face: &RequestFace) -> Result<NewFace> {
    let (image_width, image_height) = face.image_size();
    Ok(NewFace {
        face_token: face.token.clone(),
        face_box: face.face_box.clone(),
        image_width,
        image_height,
        source_sha256: face.image.as_ref().map(|i| i.source_sha256),
        embedding: face.embedding(engine)?,
    })
}

pub fn user_add(engine: &Engine, request: &Value) -> Result<Value> {
    register(engine, request, false)
}

pub fn user_update(engine: &Engine, request: &Value) -> Result<Value> {
    register(engine, request, true)
}

pub fn user_get(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    let user = user_id(&p)?;
    let scope = group_scope(&p)?;
    let list: Vec<Value> = engine
        .faceset()
        .user(&user, &scope)?
        .into_iter()
        .map(|u| json!({"user_info": u.user_info, "group_id": u.group_id.as_str()}))
        .collect();
    Ok(json!({ "user_list": list }))
}

pub fn user_copy(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    let user = user_id(&p)?;
    let src = group_id(&p, "src_group_id")?;
    let dst = group_id(&p, "dst_group_id")?;
    engine.faceset().copy_user(&user, &src, &dst)?;
    Ok(Value::Null)
}

pub fn user_delete(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    let scope = group_scope(&p)?;
    let user = user_id(&p)?;
    engine.faceset().delete_user(&user, &scope)?;
    Ok(Value::Null)
}

pub fn face_getlist(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    let user = user_id(&p)?;
    let group = group_id(&p, "group_id")?;
    let list: Vec<Value> = engine
        .faceset()
        .faces(&user, &group)?
        .into_iter()
        .map(|f| json!({"face_token": f.face_token, "ctime": f.ctime}))
        .collect();
    Ok(json!({ "face_list": list }))
}

pub fn face_delete(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    let user = user_id(&p)?;
    let group = group_id(&p, "group_id")?;
    let token = p.str_req("face_token", ErrorCode::FaceTokenFormat)?;
    if token.len() > MAX_FACE_TOKEN_BYTES
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(Error::new(ErrorCode::FaceTokenFormat));
    }
    engine.faceset().delete_face(&user, &group, token)?;
    Ok(Value::Null)
}

pub fn group_add(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    engine.faceset().add_group(&group_id(&p, "group_id")?)?;
    Ok(Value::Null)
}

pub fn group_delete(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    engine.faceset().delete_group(&group_id(&p, "group_id")?)?;
    Ok(Value::Null)
}

pub fn group_getlist(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    let (start, length) = page(&p)?;
    let list: Vec<String> = engine
        .faceset()
        .groups(start, length)?
        .into_iter()
        .map(|g| g.as_str().to_string())
        .collect();
    Ok(json!({ "group_id_list": list }))
}

pub fn group_getusers(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    let group = group_id(&p, "group_id")?;
    let (start, length) = page(&p)?;
    let list: Vec<String> = engine
        .faceset()
        .group_users(&group, start, length)?
        .into_iter()
        .map(|u| u.as_str().to_string())
        .collect();
    Ok(json!({ "user_id_list": list }))
}
