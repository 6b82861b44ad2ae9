package com.baidu.aip.face;

import org.json.JSONException;
import org.json.JSONObject;

/** One image of {@link AipFace#faceverify}, as the Java SDK's {@code com.baidu.aip.face.FaceVerifyRequest}. */
public class FaceVerifyRequest implements ImageRequest {
    private String image;
    private String imageType;
    private String faceField;

    public FaceVerifyRequest(String image, String imageType) {
        this(image, imageType, null);
    }

    public FaceVerifyRequest(String image, String imageType, String faceField) {
        this.image = image;
        this.imageType = imageType;
        this.faceField = faceField;
    }

    /** The request's JSON: {@code image}, {@code image_type} and {@code face_field} when set. */
    @Override
    public JSONObject toJsonObject() {
        JSONObject json = new JSONObject();
        try {
            json.put("image", image);
            json.put("image_type", imageType);
            json.putOpt("face_field", faceField);
        } catch (JSONException e) {
            // Only a non-finite number is refused, and every field is a string.
            throw new IllegalStateException(e);
        }
        return json;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getImageType() {
        return imageType;
    }

    public void setImageType(String imageType) {
        this.imageType = imageType;
    }

    public String getFaceField() {
        return faceField;
    }

    public void setFaceField(String faceField) {
        this.faceField = faceField;
    }
}
