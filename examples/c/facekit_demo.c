/*
 * facekit from C, the way an app moves over from the Baidu cloud: the same JSON requests, answered offline.
 * Detects the face in obama.jpg, matches it against obama2.jpg and biden.jpg, registers obama and biden in a
 * face library and searches it with obama2.jpg.
 *
 * Build: cc facekit_demo.c $(pkg-config --cflags --libs facekit) -o facekit_demo
 * Run:   ./facekit_demo TESTDATA_DIR ['{"model_dir": "...", "ort_library": "..."}']
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facekit.h"

/* The whole file, BASE64-encoded as the cloud's image_type BASE64 expects (no data: prefix). */
static char *base64_file(const char *dir, const char *name) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *bytes = malloc((size_t)size);
  size_t n = fread(bytes, 1, (size_t)size, f);
  fclose(f);
  char *out = malloc((n + 2) / 3 * 4 + 1);
  size_t o = 0;
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)bytes[i] << 16 | (i + 1 < n ? (unsigned)bytes[i + 1] << 8 : 0) |
                 (i + 2 < n ? bytes[i + 2] : 0);
    out[o++] = alphabet[v >> 18 & 63];
    out[o++] = alphabet[v >> 12 & 63];
    out[o++] = i + 1 < n ? alphabet[v >> 6 & 63] : '=';
    out[o++] = i + 2 < n ? alphabet[v & 63] : '=';
  }
  out[o] = '\0';
  free(bytes);
  return out;
}

/* Calls a method; on an error prints the response and exits, as a demo may. The caller frees the response. */
static char *call(const FkEngine *engine, const char *method, const char *request) {
  char *response = NULL;
  int code = fk_call(engine, method, request, &response);
  if (code != 0) {
    fprintf(stderr, "%s failed with %d: %s\n", method, code, response ? response : "(no response)");
    exit(1);
  }
  return response;
}

/* The first number after "key": in a JSON text (enough for a demo; a real app uses its JSON library). */
static double number(const char *json, const char *key) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  const char *at = strstr(json, pattern);
  return at ? strtod(at + strlen(pattern), NULL) : -1;
}

/* The first string value after "key": copied into out. */
static const char *string(const char *json, const char *key, char *out, size_t size) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  const char *at = strstr(json, pattern);
  out[0] = '\0';
  if (at != NULL) {
    at += strlen(pattern);
    size_t n = strcspn(at, "\"");
    if (n >= size) n = size - 1;
    memcpy(out, at, n);
    out[n] = '\0';
  }
  return out;
}

/* A request with one image: fmt has one %s for the BASE64 text. */
static char *request(const char *fmt, const char *image) {
  size_t size = strlen(fmt) + strlen(image) + 1;
  char *text = malloc(size);
  snprintf(text, size, fmt, image);
  return text;
}

static void match(const FkEngine *engine, const char *a_name, const char *a, const char *b_name, const char *b) {
  const char *fmt = "[{\"image\": \"%s\", \"image_type\": \"BASE64\"}, {\"image\": \"%s\", \"image_type\": \"BASE64\"}]";
  size_t size = strlen(fmt) + strlen(a) + strlen(b) + 1;
  char *req = malloc(size);
  snprintf(req, size, fmt, a, b);
  char *resp = call(engine, "match", req);
  printf("match %s %s: score=%.2f\n", a_name, b_name, number(resp, "score"));
  fk_string_free(resp);
  free(req);
}

static void add_user(const FkEngine *engine, const char *user_id, const char *image) {
  char fmt[256];
  snprintf(fmt, sizeof fmt,
           "{\"image\": \"%%s\", \"image_type\": \"BASE64\", \"group_id\": \"demo\", \"user_id\": \"%s\"}", user_id);
  char *req = request(fmt, image);
  fk_string_free(call(engine, "faceset/user/add", req));
  free(req);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "testdata";
  const char *config = argc > 2 ? argv[2] : NULL;
  printf("facekit %s\n", fk_version());

  FkError *err = NULL;
  FkEngine *engine = fk_engine_open(config, &err);
  if (engine == NULL) {
    fprintf(stderr, "cannot open the engine: %d %s\n", fk_error_code(err), fk_error_message(err));
    fk_error_free(err);
    return 1;
  }
  char *obama = base64_file(dir, "obama.jpg");
  char *obama2 = base64_file(dir, "obama2.jpg");
  char *biden = base64_file(dir, "biden.jpg");
  if (obama == NULL || obama2 == NULL || biden == NULL) {
    fprintf(stderr, "cannot read the photos in %s\n", dir);
    return 1;
  }

  char *req = request("{\"image\": \"%s\", \"image_type\": \"BASE64\", \"face_field\": \"landmark\"}", obama);
  char *resp = call(engine, "detect", req);
  char token[64];
  printf("detect obama.jpg: face_num=%d face_token=%s left=%.1f top=%.1f width=%.1f height=%.1f\n",
         (int)number(resp, "face_num"), string(resp, "face_token", token, sizeof token), number(resp, "left"),
         number(resp, "top"), number(resp, "width"), number(resp, "height"));
  fk_string_free(resp);
  free(req);

  match(engine, "obama.jpg", obama, "obama2.jpg", obama2);
  match(engine, "obama.jpg", obama, "biden.jpg", biden);

  /* The face library: one group, two users, a 1:N search. */
  fk_string_free(call(engine, "faceset/group/add", "{\"group_id\": \"demo\"}"));
  add_user(engine, "obama", obama);
  add_user(engine, "biden", biden);
  req = request("{\"image\": \"%s\", \"image_type\": \"BASE64\", \"group_id_list\": \"demo\"}", obama2);
  resp = call(engine, "search", req);
  char user[64];
  printf("search obama2.jpg in demo: user_id=%s score=%.2f\n", string(resp, "user_id", user, sizeof user),
         number(resp, "score"));
  fk_string_free(resp);
  free(req);

  free(obama);
  free(obama2);
  free(biden);
  fk_engine_close(engine);
  return 0;
}
