// A small C++17 wrapper over the facekit C ABI: the engine closes itself, strings and errors are freed for you,
// failures of the fast path throw facekit::Error. The JSON API keeps the cloud SDKs' habit: API errors are in
// the response's error_code, not thrown.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "facekit.h"

namespace facekit {

class Error : public std::runtime_error {
 public:
  Error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  // The Baidu error code (222203 image check fail, ...).
  int code() const { return code_; }

 private:
  int code_;
};

using Feature = std::array<float, FK_FEATURE_DIM>;

struct FaceFeature {
  FkFace face;
  Feature feature;
};

// A camera frame or decoded image in memory; stride 0 means packed rows.
struct Frame {
  const std::uint8_t* data;
  std::size_t size;
  std::uint32_t width;
  std::uint32_t height;
  std::size_t stride;
  FkPixelFormat format;
};

namespace detail {
// Runs a C call that reports through FkError**, throwing what it reports.
template <typename Call>
void check(Call call) {
  FkError* err = nullptr;
  if (call(&err) != 0) {
    Error e(fk_error_code(err), fk_error_message(err));
    fk_error_free(err);
    throw e;
  }
}
}  // namespace detail

class Engine {
 public:
  // config_json as fk_engine_open takes it ("" for the defaults).
  explicit Engine(const std::string& config_json = "") : engine_(nullptr, &fk_engine_close) {
    FkError* err = nullptr;
    engine_.reset(fk_engine_open(config_json.c_str(), &err));
    if (!engine_) {
      Error e(fk_error_code(err), fk_error_message(err));
      fk_error_free(err);
      throw e;
    }
  }

  // Any V3 method; the cloud's JSON response, error_code included. Thread-safe.
  std::string call(const std::string& method, const std::string& request_json) const {
    char* response = nullptr;
    fk_call(engine_.get(), method.c_str(), request_json.c_str(), &response);
    std::unique_ptr<char, decltype(&fk_string_free)> owned(response, &fk_string_free);
    return owned ? std::string(owned.get()) : std::string();
  }

  // Faces of a frame, largest first, at most max_faces. Thread-safe.
  std::vector<FkFace> detect(const Frame& f, std::size_t max_faces = 16) const {
    std::vector<FkFace> faces(max_faces);
    std::size_t count = 0;
    detail::check([&](FkError** err) {
      return fk_detect_pixels(engine_.get(), f.data, f.size, f.width, f.height, f.stride, f.format, faces.data(),
                              faces.size(), &count, err);
    });
    faces.resize(count);
    return faces;
  }

  // Faces of a frame with their feature vectors. Thread-safe.
  std::vector<FaceFeature> extract(const Frame& f, std::size_t max_faces = 16) const {
    std::vector<FkFace> faces(max_faces);
    std::vector<float> features(max_faces * FK_FEATURE_DIM);
    std::size_t count = 0;
    detail::check([&](FkError** err) {
      return fk_extract_feature_pixels(engine_.get(), f.data, f.size, f.width, f.height, f.stride, f.format,
                                       faces.data(), faces.size(), features.data(), features.size(), &count, err);
    });
    std::vector<FaceFeature> out(count);
    for (std::size_t i = 0; i < count; i++) {
      out[i].face = faces[i];
      std::copy_n(features.begin() + i * FK_FEATURE_DIM, FK_FEATURE_DIM, out[i].feature.begin());
    }
    return out;
  }

  // The 0-100 similarity of two features (80 = same person at a false-accept rate of about 1e-4).
  static float compare(const Feature& a, const Feature& b) {
    float score = 0;
    detail::check([&](FkError** err) { return fk_compare_features(a.data(), b.data(), a.size(), &score, err); });
    return score;
  }

  static std::string version() { return fk_version(); }

 private:
  std::unique_ptr<FkEngine, decltype(&fk_engine_close)> engine_;
};

}  // namespace facekit
