// The floor asynclint is measured against: read every file, parse it with the same tree-sitter build,
// walk every node with a cursor, nothing else. Same threading model as asynclint (--threads N).
//
//   parse_baseline [--threads N] FILE_LIST     (one path per line, e.g. /tmp/bench/corpus.files)
#include <tree_sitter/api.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <utility>
#include <vector>

#include "syntax/language.h"
#include "syntax/tree_walk.h"

int main(int argc, char** argv) {
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::string list;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else list = argv[i];
  }
  std::ifstream in(list);
  if (!in) {
    std::cerr << "usage: parse_baseline [--threads N] FILE_LIST\n";
    return 2;
  }
  std::vector<std::string> files;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) files.push_back(line);
  // The same scheduling as asynclint: with several threads, the largest files first.
  if (threads > 1) {
    std::vector<std::pair<std::uint64_t, std::string>> sized;
    for (auto& file : files) {
      struct stat info {};
      sized.emplace_back(stat(file.c_str(), &info) == 0 ? static_cast<std::uint64_t>(info.st_size) : 0, std::move(file));
    }
    std::stable_sort(sized.begin(), sized.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    files.clear();
    for (auto& [size, file] : sized) files.push_back(std::move(file));
  }
  std::atomic<std::size_t> next{0}, nodes{0}, bytes{0};
  auto worker = [&] {
    TSParser* parser = ts_parser_new();
    std::size_t local_nodes = 0, local_bytes = 0;
    for (std::size_t i = next++; i < files.size(); i = next++) {
      auto language = asynclint::language_for_path(files[i]);
      if (!language) continue;
      std::ifstream file(files[i], std::ios::binary);
      std::ostringstream buffer;
      buffer << file.rdbuf();
      const std::string text = buffer.str();
      local_bytes += text.size();
      ts_parser_set_language(parser, asynclint::ts_language(*language));
      TSTree* tree = ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
      asynclint::walk_preorder(ts_tree_root_node(tree), [&](TSNode, std::uint32_t) {
        ++local_nodes;
        return true;
      });
      ts_tree_delete(tree);
    }
    nodes += local_nodes;
    bytes += local_bytes;
    ts_parser_delete(parser);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& thread : pool) thread.join();
  std::printf("%zu files, %zu bytes, %zu nodes\n", files.size(), bytes.load(), nodes.load());
  return 0;
}
