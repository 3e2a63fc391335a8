#pragma once
// A temporary directory tree for the unit tests that need files on disk (the file walker, module aliases).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

// A fresh directory from mkdtemp, removed with everything in it when the test ends.
class TempTree {
 public:
  TempTree() {
    char name[] = "/tmp/asynclint-test-XXXXXX";
    const char* made = ::mkdtemp(name);
    REQUIRE(made != nullptr);
    root_ = made;
  }
  ~TempTree() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);  // does not follow links out of the tree
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  const std::string& root() const { return root_; }
  std::string path(const std::string& relative) const { return root_ + "/" + relative; }

  void write(const std::string& relative, const std::string& text = "") const {
    std::filesystem::create_directories(std::filesystem::path(path(relative)).parent_path());
    std::ofstream out(path(relative), std::ios::binary);
    out << text;
    REQUIRE(out.good());
  }
  void make_directory(const std::string& relative) const { std::filesystem::create_directories(path(relative)); }
  void link(const std::string& target, const std::string& relative) const {
    std::filesystem::create_directories(std::filesystem::path(path(relative)).parent_path());
    REQUIRE(::symlink(target.c_str(), path(relative).c_str()) == 0);
  }

 private:
  std::string root_;
};
