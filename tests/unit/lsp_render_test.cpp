// Unit tests of how the language server renders findings (analyzer/lsp/render.*), fed findings built by
// hand: explanation steps (which only some rules produce so far), related locations, ranges on lines with
// non-ASCII text, workspace edits.
#include <catch2/catch.hpp>

#include <string>

#include "lsp/render.h"

using namespace asynclint;
using namespace asynclint::lsp;

namespace {

// Locations as "path@line:column" strings (1-based, as the engine gives them), so the test sees exactly
// what the renderer asked for.
RenderOptions options(PositionEncoding encoding = PositionEncoding::Utf16) {
  RenderOptions out;
  out.encoding = encoding;
  out.locate = [](const std::string& path, const LineColumn& at) {
    return Json(path + "@" + std::to_string(at.line) + ":" + std::to_string(at.column));
  };
  return out;
}

Diagnostic finding_on(const std::string& text, const std::string& spelled) {
  Diagnostic d;
  d.rule_id = "async-foreach";
  d.severity = Severity::Error;
  d.message = "forEach does not wait for this async callback";
  d.start_byte = static_cast<std::uint32_t>(text.find(spelled));
  d.end_byte = d.start_byte + static_cast<std::uint32_t>(spelled.size());
  return d;
}

}  // namespace

TEST_CASE("lsp render: a diagnostic's fields", "[lsp][render]") {
  const std::string text = "const s = '😀';\nitems.forEach(async (x) => save(x));\n";
  const Document document("file:///w/a.ts", "/w/a.ts", LanguageId::TypeScript, 3, text);
  Diagnostic d = finding_on(text, "items.forEach(async (x) => save(x))");
  d.related.push_back({"/w/a.ts", {1, 1}, "declared here"});
  const Json json = diagnostic_json(document, d, options());
  CHECK(json["range"] == Json::parse(R"({"start":{"line":1,"character":0},"end":{"line":1,"character":35}})"));
  CHECK(json["severity"] == 1);
  CHECK(json["code"] == "async-foreach");
  CHECK(json["source"] == "asynclint");
  CHECK(json["message"] == d.message);
  CHECK(json["codeDescription"]["href"].get<std::string>().find("async-foreach") != std::string::npos);
  // No explanation: only the related locations.
  REQUIRE(json["relatedInformation"].size() == 1);
  CHECK(json["relatedInformation"][0]["location"] == "/w/a.ts@1:1");
  CHECK(json["relatedInformation"][0]["message"] == "declared here");

  d.severity = Severity::Warn;
  d.rule_id = "unused-suppression";
  d.related.clear();
  const Json warning = diagnostic_json(document, d, options());
  CHECK(warning["severity"] == 2);
  // unused-suppression is a rule with a page of its own, though the engine reports it.
  CHECK(warning["codeDescription"]["href"].get<std::string>().find("/unused-suppression.md") != std::string::npos);
  CHECK(warning["tags"] == Json::array({1}));
  CHECK_FALSE(warning.contains("relatedInformation"));
}

TEST_CASE("lsp render: the explanation's steps become relatedInformation, one per step, in order, then related locations", "[lsp][render]") {
  const std::string text = "items.forEach(async (x) => {\n  await save(x);\n});\nconsole.log('done');\n";
  const Document document("file:///w/a.ts", "/w/a.ts", LanguageId::TypeScript, 1, text);
  Diagnostic d = finding_on(text, "items.forEach");
  d.related.push_back({"/w/store.ts", {9, 1}, "async function 'save' is declared here"});
  d.explanation = {
      {"/w/a.ts", {1, 1}, "forEach calls the callback for each of 3 items", 0, 0},
      {"", {2, 3}, "the first callback awaits save(x)", 0, 1},
      {"/w/store.ts", {10, 5}, "save() starts a write", 0, 2},
      {"/w/a.ts", {4, 1}, "line 4 runs while 3 callbacks are still pending", 0, 0},
      {"/w/store.ts", {12, 3}, "the write settles", 25, 1},
  };
  const Json json = diagnostic_json(document, d, options());
  REQUIRE(json["relatedInformation"].size() == 6);
  CHECK(json["relatedInformation"][0]["location"] == "/w/a.ts@1:1");
  CHECK(json["relatedInformation"][1]["location"] == "/w/a.ts@2:3");  // no path: the finding's own file
  CHECK(json["relatedInformation"][2]["location"] == "/w/store.ts@10:5");
  CHECK(json["relatedInformation"][3]["message"] == "line 4 runs while 3 callbacks are still pending");
  CHECK(json["relatedInformation"][4]["message"] == "the write settles");
  CHECK(json["relatedInformation"][5]["location"] == "/w/store.ts@9:1");
  CHECK(json["relatedInformation"][5]["message"] == "async function 'save' is declared here");

  const std::string hover = hover_markdown(document, d);
  CHECK(hover.find(d.message) != std::string::npos);
  CHECK(hover.find("`async-foreach`") != std::string::npos);
  // Every step numbered in order, as the command line numbers them (nested ones indented under theirs),
  // in a code block so that Markdown cannot renumber them; other files are named.
  CHECK(hover.find("```text\n"
                   "1. [0 ms] line 1: forEach calls the callback for each of 3 items\n"
                   "  2. [0 ms] line 2: the first callback awaits save(x)\n"
                   "    3. [0 ms] /w/store.ts:10: save() starts a write\n"
                   "4. [0 ms] line 4: line 4 runs while 3 callbacks are still pending\n"
                   "  5. [25 ms] /w/store.ts:12: the write settles\n"
                   "```") != std::string::npos);
  CHECK(hover.find("is declared here") == std::string::npos);  // the hover tells the story, not the cross-references
}

TEST_CASE("lsp render: a hover without an explanation is the message and the documentation link", "[lsp][render]") {
  const std::string text = "items.forEach(async (x) => save(x));\n";
  const Document document("file:///w/a.ts", "/w/a.ts", LanguageId::TypeScript, 1, text);
  const std::string hover = hover_markdown(document, finding_on(text, "items.forEach"));
  CHECK(hover.find("forEach does not wait") != std::string::npos);
  CHECK(hover.find("step by step") == std::string::npos);
  CHECK(hover.find("](https://") != std::string::npos);
}

TEST_CASE("lsp render: ranges and edits after emoji and CJK text, in UTF-16 and UTF-8", "[lsp][render]") {
  const std::string text = "const s = '😀中'; p();\n";
  const Document document("file:///w/a.ts", "/w/a.ts", LanguageId::TypeScript, 7, text);
  const Diagnostic d = finding_on(text, "p()");
  // "const s = '😀中'; " is 11 + 2 + 1 + 3 = 17 UTF-16 units and 11 + 4 + 3 + 3 = 21 bytes.
  CHECK(diagnostic_json(document, d, options())["range"]["start"]["character"] == 17);
  CHECK(diagnostic_json(document, d, options(PositionEncoding::Utf8))["range"]["start"]["character"] == 21);

  RenderOptions versioned = options();
  versioned.document_changes = true;
  const std::vector<TextEdit> edits{{d.start_byte, d.start_byte, "void "}};
  const Json edit = workspace_edit(document, edits, versioned);
  CHECK(edit["documentChanges"][0]["textDocument"] == Json::parse(R"({"uri":"file:///w/a.ts","version":7})"));
  CHECK(edit["documentChanges"][0]["edits"][0]["range"]["start"]["character"] == 17);
  CHECK(edit["documentChanges"][0]["edits"][0]["newText"] == "void ");
  const Json plain = workspace_edit(document, edits, options());
  CHECK(plain["changes"]["file:///w/a.ts"][0]["newText"] == "void ");
}
