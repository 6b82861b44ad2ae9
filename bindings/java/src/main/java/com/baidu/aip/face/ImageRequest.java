package com.baidu.aip.face;

import org.json.JSONObject;

/** One image of a {@code match} or {@code faceverify} request: what {@link AipFace} sends for each. */
interface ImageRequest {
    JSONObject toJsonObject();
}
