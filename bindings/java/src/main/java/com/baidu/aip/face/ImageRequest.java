package com.baidu.aip.face;

import org.json.JSONException;
import org.json.JSONObject;

/** One image of a {@code match} or {@code faceverify} request: its image and type, and what {@link AipFace} sends. */
public abstract class ImageRequest {
    private String image;
    private String imageType;

    ImageRequest(String image, String imageType) {
        this.image = image;
        this.imageType = imageType;
    }

    /** The request's JSON: {@code image}, {@code image_type} and the optional fields that are set. */
    public JSONObject toJsonObject() {
        JSONObject json = new JSONObject();
        try {
            json.put("image", image);
            json.put("image_type", imageType);
            putOptionalFields(json);
        } catch (JSONException e) {
            // Only a non-finite number is refused, and every field is a string.
            throw new IllegalStateException(e);
        }
        return json;
    }

    /** Adds this kind of request's own fields ({@code putOpt}: unset ones are left out). */
    abstract void putOptionalFields(JSONObject json) throws JSONException;

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
}
