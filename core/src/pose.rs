//! Head pose from the detector's 5 points: roll exactly (the eye line), yaw and pitch approximately (where
//! the nose tip sits between the eyes and the mouth). Good to a few degrees near frontal, which is where the
//! quality gates (|angle| ≤ 20–30°) decide.

/// Head pose in degrees, signed as the cloud's `angle`: yaw < 0 turned to the image's left, pitch > 0 looking
/// down, roll > 0 tilted clockwise in the image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Angle {
    pub yaw_deg: f32,
    pub pitch_deg: f32,
    pub roll_deg: f32,
}

/// Where the nose tip sits between the eye line (0) and the mouth line (1) in a frontal face: the kit's
/// dlib template, (76.5625 − 46.5990) / (103.0233 − 46.5990).
const FRONTAL_NOSE_RATIO: f32 = 0.531;

pub fn angle_from_landmarks(p: &[[f32; 2]; 5]) -> Angle {
    let [le, re, nose, lm, rm] = *p;
    let roll = (re[1] - le[1]).atan2(re[0] - le[0]);
    // Undo the roll about the eye midpoint, so yaw and pitch read off horizontal and vertical offsets.
    let eye_mid = [(le[0] + re[0]) / 2.0, (le[1] + re[1]) / 2.0];
    let (c, s) = (roll.cos(), roll.sin());
    let unroll = |q: [f32; 2]| {
        let (dx, dy) = (q[0] - eye_mid[0], q[1] - eye_mid[1]);
        [c * dx + s * dy, -s * dx + c * dy]
    };
    let (le, re, nose) = (unroll(le), unroll(re), unroll(nose));
    let mouth = unroll([(lm[0] + rm[0]) / 2.0, (lm[1] + rm[1]) / 2.0]);
    let half_eye = ((re[0] - le[0]) / 2.0).abs().max(1e-3);
    // The nose tip stands about half an eye distance in front of the face plane, so its sideways offset
    // from the face's midline is about half_eye · sin(yaw).
    // The midline runs from the eye midpoint (the origin here) to the mouth centre.
    let midline_x = mouth[0] / 2.0;
    let yaw = ((nose[0] - midline_x) / half_eye).clamp(-1.0, 1.0).asin();
    let eye_to_mouth = mouth[1].max(1e-3);
    let pitch = (2.0 * (nose[1] / eye_to_mouth - FRONTAL_NOSE_RATIO))
        .clamp(-1.0, 1.0)
        .asin();
    Angle {
        yaw_deg: yaw.to_degrees(),
        pitch_deg: pitch.to_degrees(),
        roll_deg: roll.to_degrees(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontal_template_is_near_zero_and_roll_follows_the_eyes() {
        let t = crate::align::DLIB_TEMPLATE.map(|q| [q[0] as f32, q[1] as f32]);
        let a = angle_from_landmarks(&t);
        assert!(
            a.yaw_deg.abs() < 1.0 && a.pitch_deg.abs() < 1.0 && a.roll_deg.abs() < 1e-3,
            "{a:?}"
        );
        // Rotate the template 20° clockwise (image coordinates, y down).
        let th = 20f32.to_radians();
        let r = t.map(|q| {
            [
                q[0] * th.cos() - q[1] * th.sin(),
                q[0] * th.sin() + q[1] * th.cos(),
            ]
        });
        let b = angle_from_landmarks(&r);
        assert!(
            (b.roll_deg - 20.0).abs() < 1e-3 && b.yaw_deg.abs() < 1.0,
            "{b:?}"
        );
    }
}
