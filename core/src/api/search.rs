//! `search` (1:N, or 1:1 against a stored user) and `multi-search` (every face of an image, M:N) over the face
//! library (spec §2.3, §2.4). Scores are the 0–100 scale of `match`.

use serde_json::{json, Value};

use super::controls;
use super::faces;
use super::params::{image_input, FaceControls, ImageInput, Params};
use crate::compare::{distance_for_score, score_from_distance};
use crate::detect::FaceOrder;
use crate::embed::Embedding;
use crate::engine::Engine;
use crate::error::{Error, ErrorCode, Result};
use crate::faceset::{
    GroupId, GroupScope, SearchQuery, Strategy, UserId, ALL_GROUPS, MAX_SEARCH_GROUPS,
};

/// search: `max_user_num` at most 50; multi-search: at most 20.
const SEARCH_MAX_USERS: i64 = 50;
const MULTI_SEARCH_MAX_USERS: i64 = 20;
/// multi-search `max_face_num`: at most 10.
const MULTI_SEARCH_MAX_FACES: i64 = 10;
/// `match_threshold` default. search: 0 as the REST table says (the SDK docs say 80, DOC BUG; the server
/// decides and the SDKs only forward the option), so search always names the nearest user and the app
/// applies its own threshold. multi-search: 80, as documented.
const SEARCH_DEFAULT_THRESHOLD: i64 = 0;
const MULTI_SEARCH_DEFAULT_THRESHOLD: i64 = 80;

/// `group_id_list`: comma-separated group ids, at most 10 (223104), or `@ALL` for every group.
fn group_id_list(p: &Params) -> Result<GroupScope> {
    let list = p.str_req("group_id_list", ErrorCode::GroupIdListFormat)?;
    if list.trim() == ALL_GROUPS {
        return Ok(GroupScope::All);
    }
    let names: Vec<&str> = list.split(',').map(str::trim).collect();
    if names.len() > MAX_SEARCH_GROUPS {
        return Err(Error::new(ErrorCode::GroupListTooLarge));
    }
    let mut groups = Vec::with_capacity(names.len());
    for name in names {
        let g = GroupId::parse(name).map_err(|_| Error::new(ErrorCode::GroupIdListFormat))?;
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    Ok(GroupScope::Only(groups))
}

/// What search and multi-search both ask for.
struct SearchRequest<'a> {
    image: &'a str,
    image_type: &'a str,
    groups: GroupScope,
    max_users: usize,
    threshold: i64,
    controls: FaceControls,
}

impl<'a> SearchRequest<'a> {
    fn parse(p: &Params<'a>, max_users: i64, default_threshold: i64) -> Result<Self> {
        Ok(SearchRequest {
            image: p.str_req("image", ErrorCode::ImageFormat)?,
            image_type: p.str_req("image_type", ErrorCode::ImageTypeFormat)?,
            groups: group_id_list(p)?,
            max_users: p.int_in(
                "max_user_num",
                1..=max_users,
                1,
                ErrorCode::MaxUserNumFormat,
            )? as usize,
            threshold: p.int_in(
                "match_threshold",
                0..=100,
                default_threshold,
                ErrorCode::MatchThresholdFormat,
            )?,
            controls: p.face_controls()?,
        })
    }

    fn input(&self, engine: &Engine) -> Result<ImageInput> {
        image_input(engine, self.image, self.image_type)
    }
}

/// The users scoring at least `threshold`, best first, as `user_list` entries.
fn user_list(
    engine: &Engine,
    embedding: &Embedding,
    groups: &GroupScope,
    user: Option<&UserId>,
    max_users: usize,
    threshold: i64,
) -> Result<Vec<Value>> {
    // Scores are compared exactly below; the distance cut only needs to keep every user that can pass.
    let max_distance = if threshold <= 0 {
        f32::INFINITY
    } else {
        distance_for_score(threshold as f32) + 1e-4
    };
    let found = engine.faceset().search(&SearchQuery {
        embedding: &embedding.0,
        groups,
        user,
        max_users,
        max_distance,
        strategy: Strategy::Auto,
    })?;
    Ok(found
        .into_iter()
        .map(|m| (score_from_distance(m.distance), m))
        .filter(|(score, _)| *score >= threshold as f32)
        .map(|(score, m)| {
            json!({
                "group_id": m.group_id.as_str(),
                "user_id": m.user_id.as_str(),
                "user_info": m.user_info,
                "score": faces::round(score, 5),
            })
        })
        .collect())
}

pub fn search(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    let r = SearchRequest::parse(&p, SEARCH_MAX_USERS, SEARCH_DEFAULT_THRESHOLD)?;
    let user = p
        .str_opt("user_id", ErrorCode::UserIdFormat)?
        .map(UserId::parse)
        .transpose()?;
    let order = p.face_sort_type()?;
    let face = faces::request_faces(engine, r.input(engine)?, 1, order)?.remove(0);
    controls::enforce(engine, &face, &r.controls)?;
    let users = user_list(
        engine,
        &face.embedding(engine)?,
        &r.groups,
        user.as_ref(),
        r.max_users,
        r.threshold,
    )?;
    if users.is_empty() {
        return Err(Error::new(ErrorCode::MatchUserNotFound));
    }
    Ok(json!({"face_token": face.token, "user_list": users}))
}

/// Every face of the image (largest first, at most `max_face_num`) with the users it matches. Faces that
/// match nobody stay in `face_list` with an empty `user_list`, so the caller can still show where they
/// are; 222207 only when no face matched anyone.
pub fn multi_search(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    let r = SearchRequest::parse(&p, MULTI_SEARCH_MAX_USERS, MULTI_SEARCH_DEFAULT_THRESHOLD)?;
    let max_faces = p.int_in(
        "max_face_num",
        1..=MULTI_SEARCH_MAX_FACES,
        1,
        ErrorCode::MaxFaceNumFormat,
    )?;
    let found = faces::request_faces(
        engine,
        r.input(engine)?,
        max_faces as usize,
        FaceOrder::LargestFirst,
    )?;
    let mut list = Vec::with_capacity(found.len());
    let mut matched = false;
    for face in &found {
        // Faces failing the controls are left out of the result, not an error (spec §2.4).
        if !controls::admits(engine, face, &r.controls)? {
            continue;
        }
        let users = user_list(
            engine,
            &face.embedding(engine)?,
            &r.groups,
            None,
            r.max_users,
            r.threshold,
        )?;
        matched |= !users.is_empty();
        list.push(json!({
            "face_token": face.token,
            "location": faces::location_json(&face.face_box),
            "user_list": users,
        }));
    }
    if !matched {
        return Err(Error::new(ErrorCode::MatchUserNotFound));
    }
    Ok(json!({"face_num": list.len(), "face_list": list}))
}
