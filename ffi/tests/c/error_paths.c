/*
 * The C ABI's error paths, called from C: NULL pointers, bytes that are not UTF-8, sizes a buffer cannot hold,
 * unknown methods and formats. Each must give its error code and leave nothing allocated; scripts/test-ffi.sh
 * runs this under valgrind.
 *
 * Usage: error_paths   (the engine finds its models and ONNX Runtime as fk_engine_open documents)
 * Prints one line per check and "N passed, N failed"; exits non-zero on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facekit.h"

static int passed, failed;

static void check(int ok, const char *what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s\n", what);
  }
}

/* The code of an FkError, which is then freed; -1 when there is none. */
static int take_error(FkError *err) {
  if (err == NULL) return -1;
  int code = fk_error_code(err);
  const char *msg = fk_error_message(err);
  if (msg == NULL || msg[0] == '\0') code = -2; /* every error says what went wrong */
  fk_error_free(err);
  return code;
}

/* fk_call's status, checking that the response is a JSON envelope carrying the same code. */
static int call(const FkEngine *engine, const char *method, const char *request) {
  char *response = NULL;
  int status = fk_call(engine, method, request, &response);
  char expected[64];
  snprintf(expected, sizeof expected, "\"error_code\":%d", status);
  check(response != NULL && strstr(response, expected) != NULL && strstr(response, "\"log_id\":") != NULL,
        "fk_call's response is an envelope with its status");
  fk_string_free(response);
  return status;
}

static void open_errors(void) {
  FkError *err = NULL;
  check(fk_engine_open("{\"threads\": ", &err) == NULL && take_error(err) == 222200, "open: malformed config");
  err = NULL;
  check(fk_engine_open("{\"modle_dir\": \"x\"}", &err) == NULL && take_error(err) == 222200, "open: unknown key");
  err = NULL;
  check(fk_engine_open("{\"model_dir\": \"\xff\"}", &err) == NULL && take_error(err) == 222200, "open: not UTF-8");
  err = NULL;
  check(fk_engine_open("{\"model_dir\": \"/nonexistent\"}", &err) == NULL && take_error(err) == 222302,
        "open: missing models");
  check(fk_engine_open("[", NULL) == NULL, "open: NULL err is allowed");
}

static void call_errors(const FkEngine *engine) {
  check(call(NULL, "detect", "{}") == 222001, "call: NULL engine");
  check(call(engine, NULL, "{}") == 222001, "call: NULL method");
  check(call(engine, "detect", NULL) == 222001, "call: NULL request");
  check(fk_call(engine, "detect", "{}", NULL) == 222001, "call: NULL response pointer");
  check(call(engine, "det\xff" "ect", "{}") == 3, "call: method not UTF-8");
  check(call(engine, "detect", "{\"image\": \"\xff\"}") == 222200, "call: request not UTF-8");
  check(call(engine, "detect", "{\"image\":") == 222200, "call: malformed JSON");
  check(call(engine, "no/such/method", "{}") == 3, "call: unknown method");
  check(call(engine, "/rest/2.0/face/v3/person/verify", "{}") == 6, "call: online-only method");
  check(call(engine, "detect", "{\"image_type\": \"BASE64\"}") == 222001, "call: missing image");
  /* A 1x1 PNG: a valid image without a face is a success with face_num 0. */
  check(call(engine, "detect",
             "{\"image\": \"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC\","
             " \"image_type\": \"BASE64\"}") == 0,
        "call: a faceless image");
}

enum { W = 64, H = 48 };

static int detect(const FkEngine *engine, const uint8_t *data, size_t len, uint32_t w, uint32_t h, size_t stride,
                  FkPixelFormat format, FkFace *faces, size_t capacity, size_t *count) {
  FkError *err = NULL;
  int status = fk_detect_pixels(engine, data, len, w, h, stride, format, faces, capacity, count, &err);
  int code = take_error(err);
  if (status == 0) {
    check(code == -1, "no error on success");
  } else {
    check(code == status, "the error's code is the status");
  }
  return status;
}

static void pixel_errors(const FkEngine *engine) {
  static uint8_t frame[W * H * 4];
  FkFace faces[4];
  size_t count = 99;
  memset(frame, 128, sizeof frame);

  check(detect(engine, frame, W * H, W, H, 0, FK_PIXEL_GRAY8, faces, 4, &count) == 0 && count == 0,
        "pixels: a plain grey frame has no face and no error");
  check(detect(NULL, frame, W * H, W, H, 0, FK_PIXEL_GRAY8, faces, 4, &count) == 222001, "pixels: NULL engine");
  check(detect(engine, NULL, W * H, W, H, 0, FK_PIXEL_GRAY8, faces, 4, &count) == 222001, "pixels: NULL data");
  check(detect(engine, frame, W * H, W, H, 0, FK_PIXEL_GRAY8, NULL, 4, &count) == 222001, "pixels: NULL faces");
  check(detect(engine, frame, W * H, W, H, 0, FK_PIXEL_GRAY8, faces, 4, NULL) == 222001, "pixels: NULL count");
  check(detect(engine, frame, W * H, W, H, 0, FK_PIXEL_GRAY8, faces, 0, &count) == 216100, "pixels: no capacity");
  count = 99;
  check(detect(engine, frame, W * H * 3 - 1, W, H, 0, FK_PIXEL_RGB8, faces, 4, &count) == 222203 && count == 0,
        "pixels: buffer one byte short (count zeroed)");
  check(detect(engine, frame, sizeof frame, W, H, W * 3 - 1, FK_PIXEL_RGB8, faces, 4, &count) == 222203,
        "pixels: stride below one row");
  check(detect(engine, frame, sizeof frame, W, H, (size_t)-1 / 2, FK_PIXEL_BGRA8, faces, 4, &count) == 222203,
        "pixels: stride that overflows");
  check(detect(engine, frame, sizeof frame, 0, H, 0, FK_PIXEL_RGB8, faces, 4, &count) == 222203, "pixels: zero width");
  check(detect(engine, frame, sizeof frame, W - 1, H, 0, FK_PIXEL_NV21, faces, 4, &count) == 222203,
        "pixels: odd NV21 width");
  check(detect(engine, frame, W * H, W, H, 0, FK_PIXEL_NV21, faces, 4, &count) == 222203,
        "pixels: NV21 without its chroma rows");
  check(detect(engine, frame, W * H * 3 / 2, W, H, 0, FK_PIXEL_NV21, faces, 4, &count) == 0, "pixels: NV21 frame");
  check(detect(engine, frame, sizeof frame, 7000, 1, 0, FK_PIXEL_GRAY8, faces, 4, &count) == 222304,
        "pixels: side above 6000 px");
  check(detect(engine, frame, sizeof frame, W, H, 0, 42, faces, 4, &count) == 222015, "pixels: unknown format");

  float features[FK_FEATURE_DIM * 2];
  FkError *err = NULL;
  int status = fk_extract_feature_pixels(engine, frame, sizeof frame, W, H, 0, FK_PIXEL_RGBA8, faces, 3, features,
                                         FK_FEATURE_DIM * 2, &count, &err);
  check(status == 216100 && take_error(err) == 216100, "features: buffer too short for the capacity");
  err = NULL;
  status = fk_extract_feature_pixels(engine, frame, sizeof frame, W, H, 0, FK_PIXEL_RGBA8, faces, 2, features,
                                     FK_FEATURE_DIM * 2, &count, &err);
  check(status == 0 && count == 0 && err == NULL, "features: a faceless frame");

  float score = -1;
  err = NULL;
  check(fk_compare_features(features, features, FK_FEATURE_DIM - 1, &score, &err) == 216100 &&
            take_error(err) == 216100,
        "compare: wrong dimension");
  check(fk_compare_features(NULL, features, FK_FEATURE_DIM, &score, NULL) == 222001, "compare: NULL vector");
  check(fk_compare_features(features, features, FK_FEATURE_DIM, NULL, NULL) == 222001, "compare: NULL score");
}

int main(void) {
  check(fk_version() != NULL && strncmp(fk_version(), "0.", 2) == 0, "version");
  check(fk_error_code(NULL) == 0 && strcmp(fk_error_message(NULL), "") == 0, "NULL error");
  fk_error_free(NULL);
  fk_string_free(NULL);
  fk_engine_close(NULL);

  open_errors();
  FkError *err = NULL;
  FkEngine *engine = fk_engine_open("{\"threads\": 1}", &err);
  if (engine == NULL) {
    printf("FAIL cannot open the engine: %s\n", fk_error_message(err));
    fk_error_free(err);
    return 1;
  }
  call_errors(engine);
  pixel_errors(engine);
  fk_engine_close(engine);

  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
