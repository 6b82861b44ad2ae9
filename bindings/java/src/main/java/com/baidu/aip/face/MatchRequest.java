package com.baidu.aip.face;

import org.json.JSONException;
import org.json.JSONObject;

/** One image of {@link AipFace#match}, as the Java SDK's {@code com.baidu.aip.face.MatchRequest}. */
public class MatchRequest extends ImageRequest {
    private String faceType;
    private String qualityControl;
    private String livenessControl;

    public MatchRequest(String image, String imageType) {
        this(image, imageType, null, null, null);
    }

    public MatchRequest(
            String image,
            String imageType,
            String faceType,
            String qualityControl,
            String livenessControl) {
        super(image, imageType);
        this.faceType = faceType;
        this.qualityControl = qualityControl;
        this.livenessControl = livenessControl;
    }

    @Override
    void putOptionalFields(JSONObject json) throws JSONException {
        json.putOpt("face_type", faceType);
        json.putOpt("quality_control", qualityControl);
        json.putOpt("liveness_control", livenessControl);
    }

    public String getFaceType() {
        return faceType;
    }

    public void setFaceType(String faceType) {
        this.faceType = faceType;
    }

    public String getQualityControl() {
        return qualityControl;
    }

    public void setQualityControl(String qualityControl) {
        this.qualityControl = qualityControl;
    }

    public String getLivenessControl() {
        return livenessControl;
    }

    public void setLivenessControl(String livenessControl) {
        this.livenessControl = livenessControl;
    }
}
