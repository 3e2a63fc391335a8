#pragma once
// Parsing with a bound on the parser's work.
//
// tree-sitter's error recovery can run for minutes on a few KB of some broken inputs: the explain fuzzer
// found 5,305 bytes (stray NUL bytes among code) that take 3.5 minutes and build 14 million nodes. The
// bound makes such a parse give up, and the caller reports the file as not parsed. It counts the parser's
// own progress checks (one per fixed number of parser operations), not time, so an input gets the same
// answer on every machine and under any load.
#include <tree_sitter/api.h>

#include <cstdint>
#include <string_view>

namespace asynclint {

// Progress checks a parse of `bytes` may use: five times what the most demanding real file needed (see
// parse.cpp); on pathological input well under a second for a few KB.
std::uint64_t parse_check_budget(std::size_t bytes);

// ts_parser_parse_string, or nullptr when the parse ran past its budget (the parser is reset for the next).
TSTree* parse_bounded(TSParser* parser, const TSTree* old_tree, std::string_view text);

}  // namespace asynclint
