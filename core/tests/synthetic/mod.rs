//! Enrolments of synthetic faces for the face library's tests (no models needed).
#![allow(dead_code)]

use facekit_core::faceset::synthetic;
use facekit_core::faceset::{AddMode, Enrolment, GroupId, UserId};

pub use facekit_core::faceset::synthetic::Rng;

/// The engine's feature length.
pub const DIM: usize = 128;

pub fn g(s: &str) -> GroupId {
    GroupId::parse(s).unwrap()
}

pub fn u(s: &str) -> UserId {
    UserId::parse(s).unwrap()
}

pub fn enrolment(
    group: &str,
    user: &str,
    user_info: Option<&str>,
    mode: AddMode,
    token: &str,
    v: &[f32],
) -> Enrolment {
    Enrolment {
        group: g(group),
        user: u(user),
        user_info: user_info.map(str::to_string),
        mode,
        face: synthetic::face(token, v.to_vec()),
    }
}
