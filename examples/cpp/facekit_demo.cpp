// facekit from C++ on decoded pixels, the camera-frame path: photos decoded with libjpeg go to the engine as
// RGB memory (no JPEG, BASE64 or JSON on the way), features are compared in the app, and a face token from a
// frame is used in the JSON API.
//
// Build: c++ -std=c++17 facekit_demo.cpp $(pkg-config --cflags --libs facekit) -ljpeg -o facekit_demo_cpp
// Run:   ./facekit_demo_cpp TESTDATA_DIR ['{"model_dir": "...", "ort_library": "..."}']
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <jpeglib.h>

#include "facekit.hpp"

namespace {

// An RGB image decoded from a JPEG file.
struct Image {
  std::vector<std::uint8_t> rgb;
  std::uint32_t width = 0;
  std::uint32_t height = 0;

  facekit::Frame frame() const { return {rgb.data(), rgb.size(), width, height, 0, FK_PIXEL_RGB8}; }
};

Image read_jpeg(const std::string& path) {
  std::unique_ptr<FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) throw std::runtime_error("cannot open " + path);
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr jerr;
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_decompress(&cinfo);
  jpeg_stdio_src(&cinfo, file.get());
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress(&cinfo);
  Image img;
  img.width = cinfo.output_width;
  img.height = cinfo.output_height;
  img.rgb.resize(std::size_t(img.width) * img.height * 3);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = &img.rgb[std::size_t(cinfo.output_scanline) * img.width * 3];
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return img;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "testdata";
  try {
    facekit::Engine engine(argc > 2 ? argv[2] : "");
    std::cout << "facekit " << facekit::Engine::version() << "\n";

    std::vector<facekit::Feature> features;
    std::vector<std::string> tokens;
    for (const char* name : {"obama.jpg", "obama2.jpg", "biden.jpg"}) {
      Image img = read_jpeg(dir + "/" + name);
      auto faces = engine.extract(img.frame(), 4);
      if (faces.empty()) throw std::runtime_error(std::string("no face in ") + name);
      const FkFace& f = faces[0].face;
      std::printf("frame %s %ux%u: faces=%zu left=%.1f top=%.1f width=%.1f height=%.1f score=%.4f\n", name,
                  img.width, img.height, faces.size(), f.left, f.top, f.width, f.height, f.score);
      features.push_back(faces[0].feature);
      tokens.emplace_back(f.face_token);
    }
    std::printf("compare obama.jpg obama2.jpg: score=%.2f\n", facekit::Engine::compare(features[0], features[1]));
    std::printf("compare obama.jpg biden.jpg: score=%.2f\n", facekit::Engine::compare(features[0], features[2]));

    // A frame's token works wherever the JSON API takes an image.
    std::string response = engine.call(
        "match", "[{\"image\": \"" + tokens[0] + "\", \"image_type\": \"FACE_TOKEN\"}, {\"image\": \"" + tokens[1] +
                     "\", \"image_type\": \"FACE_TOKEN\"}]");
    std::cout << "match by face_token: " << response << "\n";

    // Misuse is an exception with the Baidu code, never a crash.
    try {
      engine.detect({nullptr, 0, 640, 480, 0, FK_PIXEL_NV21});
    } catch (const facekit::Error& e) {
      std::printf("NULL frame: error %d (%s)\n", e.code(), e.what());
    }
  } catch (const facekit::Error& e) {
    std::fprintf(stderr, "facekit error %d: %s\n", e.code(), e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
