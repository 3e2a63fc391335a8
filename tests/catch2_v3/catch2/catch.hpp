// The tests are written against Catch2 v2's single header. With Catch2 v3 (Ubuntu 24.04's and newer
// distributions' catch2 package, which has no catch2/catch.hpp), CMake puts this folder on the include path
// instead: v3's headers plus the one v2 name the tests use that v3 renamed. v3's Catch2WithMain provides
// main(), so test_main.cpp's CATCH_CONFIG_MAIN does nothing there.
#pragma once
#include <catch2/catch_all.hpp>

#include <string>

namespace Catch {
inline Matchers::StringContainsMatcher Contains(const std::string& text, CaseSensitive sensitivity = CaseSensitive::Yes) {
  return Matchers::ContainsSubstring(text, sensitivity);
}
}  // namespace Catch
