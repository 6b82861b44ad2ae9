package com.baidu.aip.face;

import org.json.JSONException;
import org.json.JSONObject;

/** One image of {@link AipFace#faceverify}, as the Java SDK's {@code com.baidu.aip.face.FaceVerifyRequest}. */
public class FaceVerifyRequest extends ImageRequest {
    private String faceField;

    public FaceVerifyRequest(String image, String imageType) {
        this(image, imageType, null);
    }

    public FaceVerifyRequest(String image, String imageType, String faceField) {
        super(image, imageType);
        this.faceField = faceField;
    }

    @Override
    void putOptionalFields(JSONObject json) throws JSONException {
        json.putOpt("face_field", faceField);
    }

    public String getFaceField() {
        return faceField;
    }

    public void setFaceField(String faceField) {
        this.faceField = faceField;
    }
}
