//! The face library: groups of users, each user with up to 20 faces, kept on the device, and 1:N search over
//! it, as the cloud's `faceset/*`, `search` and `multi-search` methods see it.
//!
//! [`Faceset`] is the storage interface the API layer talks to. [`SqliteFaceset`] is the embedded one: one
//! SQLite file for the records and an in-memory vector index ([`index`]) for search. `docs/faceset.md` says how
//! a deployment that outgrows one machine keeps the vectors in a distributed vector engine behind this trait.

pub mod index;
mod snapshot;
mod sqlite;
pub mod synthetic;

pub use sqlite::SqliteFaceset;

use crate::decode::DecodedImage;
use crate::detect::FaceBox;
use crate::embed::Embedding;
use crate::error::{Error, ErrorCode, Result};
use crate::token;

/// `group_id` and `user_id`: at most 48 bytes. The REST tables say 48 B, the V3 SDK chapters 128 B (spec §1.8,
/// DOC BUG); the cloud's server is what answers, and its tables say 48, so facekit takes 48.
pub const MAX_ID_BYTES: usize = 48;
/// Faces one user may have in one group (error 222210 beyond).
pub const MAX_FACES_PER_USER: usize = 20;
/// `user_info`: at most 256 bytes. user/update's table says 48 B (DOC BUG); the SDKs check 256 for both
/// (sdk-surface SDK103), so facekit takes 256 for add and update alike.
pub const MAX_USER_INFO_BYTES: usize = 256;
/// A `group_id_list` names at most this many groups (error 223104 beyond).
pub const MAX_SEARCH_GROUPS: usize = 10;
/// The group name that means "every group" (user/get, user/delete, search).
pub const ALL_GROUPS: &str = "@ALL";

/// `s` when it is 1 to 48 bytes of digits, ASCII letters and `_` (the cloud's id alphabet), else `code`.
fn valid_id(s: &str, code: ErrorCode) -> Result<String> {
    if !s.is_empty()
        && s.len() <= MAX_ID_BYTES
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        Ok(s.to_string())
    } else {
        Err(Error::new(code))
    }
}

/// A valid `group_id`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupId(String);

impl GroupId {
    /// 222006 when `s` is not a valid group id.
    pub fn parse(s: &str) -> Result<GroupId> {
        valid_id(s, ErrorCode::GroupIdFormat).map(GroupId)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A valid `user_id`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(String);

impl UserId {
    /// 222018 (`param[user_id] format error`, the V3 name of the field) when `s` is not a valid user id.
    pub fn parse(s: &str) -> Result<UserId> {
        valid_id(s, ErrorCode::UserIdFormat).map(UserId)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 222010 when `user_info` is longer than 256 bytes.
pub fn check_user_info(user_info: &str) -> Result<()> {
    if user_info.len() <= MAX_USER_INFO_BYTES {
        Ok(())
    } else {
        Err(Error::new(ErrorCode::UserInfoFormat))
    }
}

/// Which groups a call looks at: every group (`@ALL`) or the listed ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupScope {
    All,
    Only(Vec<GroupId>),
}

/// How a new face joins its user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddMode {
    /// user/add APPEND: the user is created if missing; the face is added to the user's faces (at most 20).
    Append,
    /// user/add REPLACE and user/update REPLACE: the user is created if missing; the face replaces all its faces.
    Replace,
    /// user/update UPDATE: the face replaces all the user's faces; the user must exist (223103).
    Update,
}

/// A face to store: what the token stands for, and its feature vector.
#[derive(Debug, Clone)]
pub struct NewFace {
    pub face_token: String,
    pub face_box: FaceBox,
    pub image_width: u32,
    pub image_height: u32,
    /// SHA-256 of the photo's bytes, when the face came from a photo (bulk enrolment skips photos already in).
    pub source_sha256: Option<[u8; 32]>,
    pub embedding: Embedding,
}

impl NewFace {
    /// The face `face_box` of `image`, under its deterministic token.
    pub fn from_photo(image: &DecodedImage, face_box: FaceBox, embedding: Embedding) -> NewFace {
        NewFace {
            face_token: token::face_token(&image.source_sha256, &face_box),
            face_box,
            image_width: image.width(),
            image_height: image.height(),
            source_sha256: Some(image.source_sha256),
            embedding,
        }
    }
}

/// One face for [`Faceset::add_faces`]: where it goes and how.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub group: GroupId,
    pub user: UserId,
    /// Replaces the user's `user_info` when given; a new user without one gets "".
    pub user_info: Option<String>,
    pub mode: AddMode,
    pub face: NewFace,
}

/// A face of the library, as a FACE_TOKEN input needs it.
#[derive(Debug, Clone)]
pub struct StoredFace {
    pub face_box: FaceBox,
    pub image_width: u32,
    pub image_height: u32,
    pub embedding: Embedding,
}

/// One group a user is in (user/get).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserEntry {
    pub group_id: GroupId,
    pub user_info: String,
}

/// One face of a user (face/getlist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceEntry {
    pub face_token: String,
    /// Registration time, `YYYY-MM-DD HH:MM:SS` in local time, as the cloud prints it.
    pub ctime: String,
}

/// How search finds its candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    /// Exact scan for small scopes, binary-code candidates re-ranked exactly for large ones.
    #[default]
    Auto,
    /// Always the exact scan (the reference that `facekit bench search` measures recall against).
    Exact,
    /// Always the code candidates, however small the scope (tests and benchmarks of that path itself).
    Codes,
}

/// A 1:N search: the users whose best face is nearest to `embedding`.
#[derive(Debug, Clone)]
pub struct SearchQuery<'a> {
    pub embedding: &'a [f32],
    pub groups: &'a GroupScope,
    /// Compare only with this user (1:1 verification against a stored user).
    pub user: Option<&'a UserId>,
    pub max_users: usize,
    /// Users whose best face is farther away are left out.
    pub max_distance: f32,
    pub strategy: Strategy,
}

/// A user found by search, with the L2 distance of its nearest face.
#[derive(Debug, Clone, PartialEq)]
pub struct UserMatch {
    pub group_id: GroupId,
    pub user_id: UserId,
    pub user_info: String,
    pub distance: f32,
}

/// What a library holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FacesetStats {
    pub groups: usize,
    pub users: usize,
    pub faces: usize,
}

/// A face library. Every method is one atomic step: when it returns `Ok` the change is durable and visible to
/// search; when it fails nothing changed. Implementations are shared between threads.
pub trait Faceset: Send + Sync {
    /// Length of the feature vectors the library holds.
    fn dim(&self) -> usize;

    /// 223101 when the group exists.
    fn add_group(&self, group: &GroupId) -> Result<()>;
    /// Deletes the group with its users and faces; 223100 when it does not exist.
    fn delete_group(&self, group: &GroupId) -> Result<()>;
    /// Group ids in creation order, `start` skipped, at most `length`.
    fn groups(&self, start: usize, length: usize) -> Result<Vec<GroupId>>;
    /// User ids of a group in creation order; 223100 when the group does not exist.
    fn group_users(&self, group: &GroupId, start: usize, length: usize) -> Result<Vec<UserId>>;

    /// Stores faces in one transaction; each item succeeds or fails on its own (222210 beyond 20 faces,
    /// 223105 when the user has that face, 223103 for UPDATE of a missing user, 223100 …). Missing groups are
    /// created (user/add creates its group, as the V2 API documented and the V3 cloud does).
    fn add_faces(&self, batch: Vec<Enrolment>) -> Result<Vec<Result<()>>>;

    /// [`Faceset::add_faces`] of one face.
    fn add_face(&self, enrolment: Enrolment) -> Result<()> {
        self.add_faces(vec![enrolment])?
            .pop()
            .unwrap_or_else(|| Err(Error::system("add_faces returned no outcome")))
    }

    /// The groups the user is in (`GroupScope::All`) or its entry in one group; 223100 / 223103.
    fn user(&self, user: &UserId, groups: &GroupScope) -> Result<Vec<UserEntry>>;
    /// Copies a user with its faces into another group: 223100 (no source group), 223103 (not in it),
    /// 223111 (no destination group), 223102 (already there).
    fn copy_user(&self, user: &UserId, src: &GroupId, dst: &GroupId) -> Result<()>;
    /// Deletes the user from the group, or from every group; 223100 / 223103.
    fn delete_user(&self, user: &UserId, groups: &GroupScope) -> Result<()>;
    /// The user's faces in registration order; 223100 / 223103.
    fn faces(&self, user: &UserId, group: &GroupId) -> Result<Vec<FaceEntry>>;
    /// Deletes one face (the user goes with its last face); 223100 / 223103 / 223106.
    fn delete_face(&self, user: &UserId, group: &GroupId, face_token: &str) -> Result<()>;
    /// A stored face by its token (tokens of registered faces never expire).
    fn face_by_token(&self, face_token: &str) -> Result<Option<StoredFace>>;
    /// Whether the user already has a face from the photo with this SHA-256 (resumable bulk enrolment).
    fn has_photo(&self, group: &GroupId, user: &UserId, sha256: &[u8; 32]) -> Result<bool>;

    /// Users nearest to the query, nearest first, at most `max_users`, one entry per (group, user).
    /// 223100 when a listed group does not exist, 223103 when `user` is in none of the groups.
    fn search(&self, query: &SearchQuery) -> Result<Vec<UserMatch>>;

    fn stats(&self) -> Result<FacesetStats>;
    /// Makes the next open fast (persists the search index); safe to call at any time.
    fn checkpoint(&self) -> Result<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_cloud_alphabet_and_length() {
        assert!(GroupId::parse("group_1").is_ok());
        assert!(GroupId::parse(&"g".repeat(48)).is_ok());
        assert_eq!(GroupId::parse(&"g".repeat(49)).unwrap_err().code(), 222006);
        assert_eq!(GroupId::parse("a-b").unwrap_err().code(), 222006);
        assert_eq!(GroupId::parse("").unwrap_err().code(), 222006);
        assert_eq!(UserId::parse("张三").unwrap_err().code(), 222018);
        assert_eq!(UserId::parse("@ALL").unwrap_err().code(), 222018);
        assert!(check_user_info(&"信".repeat(85)).is_ok()); // 255 bytes
        assert_eq!(
            check_user_info(&"信".repeat(86)).unwrap_err().code(),
            222010
        );
    }
}
