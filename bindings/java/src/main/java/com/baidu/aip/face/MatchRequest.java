package com.baidu.aip.face;

import org.json.JSONException;
import org.json.JSONObject;

/** One image of {@link AipFace#match}, as the Java SDK's {@code com.baidu.aip.face.MatchRequest}. */
public class MatchRequest implements ImageRequest {
    private String image;
    private String imageType;
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
        this.image = image;
        this.imageType = imageType;
        this.faceType = faceType;
        this.qualityControl = qualityControl;
        this.livenessControl = livenessControl;
    }

    /** The request's JSON: {@code image}, {@code image_type} and the optional fields that are set. */
    @Override
    public JSONObject toJsonObject() {
        JSONObject json = new JSONObject();
        try {
            json.put("image", image);
            json.put("image_type", imageType);
            json.putOpt("face_type", faceType);
            json.putOpt("quality_control", qualityControl);
            json.putOpt("liveness_control", livenessControl);
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
