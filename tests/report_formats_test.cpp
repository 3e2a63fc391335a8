// The CI formats against their formats' own rules, with hand-written expected output: GitHub's
// workflow-command escaping, XML escaping, ESLint's unix/checkstyle/junit shapes.
#include <catch2/catch.hpp>

#include <sstream>

#include "report/report.h"

using namespace asynclint;

namespace {
LintRun sample_run() {
  LintRun run;
  FileReport clean;
  clean.path = "src/ok.js";
  FileReport dirty;
  dirty.path = "src/a&b,c:d.ts";
  Diagnostic error;
  error.rule_id = "floating-promise";
  error.severity = Severity::Error;
  error.message = "50% of \"x\" <y>\nnext line";
  error.start = {3, 5};
  error.end = {3, 12};
  Diagnostic warning;
  warning.rule_id = "fetch-without-abort";
  warning.severity = Severity::Warn;
  warning.message = "no signal";
  warning.start = {7, 1};
  warning.end = {8, 2};
  dirty.diagnostics = {error, warning};
  run.files = {dirty, clean};
  return run;
}

template <typename Writer>
std::string render(Writer writer) {
  std::ostringstream out;
  writer(out, sample_run());
  return out.str();
}
}  // namespace

TEST_CASE("unix format: path:line:col: message [Severity/rule] and a count", "[report]") {
  CHECK(render(write_unix) ==
        "src/a&b,c:d.ts:3:5: 50% of \"x\" <y>\nnext line [Error/floating-promise]\n"
        "src/a&b,c:d.ts:7:1: no signal [Warning/fetch-without-abort]\n"
        "\n2 problems\n");
}

TEST_CASE("github format: workflow annotations with GitHub's escaping", "[report]") {
  // Data escapes % CR LF; properties also escape ':' and ','.
  CHECK(render(write_github) ==
        "::error file=src/a&b%2Cc%3Ad.ts,line=3,col=5,endLine=3,endColumn=12,title=asynclint(floating-promise)::"
        "50%25 of \"x\" <y>%0Anext line\n"
        "::warning file=src/a&b%2Cc%3Ad.ts,line=7,col=1,endLine=8,endColumn=2,title=asynclint(fetch-without-abort)::no signal\n");
}

TEST_CASE("checkstyle format: XML with escaped attributes, files without findings left out", "[report]") {
  CHECK(render(write_checkstyle) ==
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<checkstyle version=\"4.3\">\n"
        "  <file name=\"src/a&amp;b,c:d.ts\">\n"
        "    <error line=\"3\" column=\"5\" severity=\"error\" message=\"50% of &quot;x&quot; &lt;y&gt;&#10;next line\" "
        "source=\"asynclint.floating-promise\" />\n"
        "    <error line=\"7\" column=\"1\" severity=\"warning\" message=\"no signal\" source=\"asynclint.fetch-without-abort\" />\n"
        "  </file>\n</checkstyle>\n");
}

TEST_CASE("junit format: a suite per file, a failing case per finding, a passing case for a clean file", "[report]") {
  CHECK(render(write_junit) ==
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<testsuites>\n"
        "  <testsuite package=\"org.asynclint\" time=\"0\" tests=\"2\" errors=\"0\" failures=\"2\" name=\"src/a&amp;b,c:d.ts\">\n"
        "    <testcase time=\"0\" name=\"org.asynclint.floating-promise\" classname=\"src/a&amp;b,c:d\">\n"
        "      <failure message=\"50% of &quot;x&quot; &lt;y&gt;&#10;next line\">line 3, col 5, Error - 50% of &quot;x&quot; "
        "&lt;y&gt;\nnext line (floating-promise)</failure>\n"
        "    </testcase>\n"
        "    <testcase time=\"0\" name=\"org.asynclint.fetch-without-abort\" classname=\"src/a&amp;b,c:d\">\n"
        "      <failure message=\"no signal\">line 7, col 1, Warning - no signal (fetch-without-abort)</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "  <testsuite package=\"org.asynclint\" time=\"0\" tests=\"1\" errors=\"0\" failures=\"0\" name=\"src/ok.js\">\n"
        "    <testcase time=\"0\" name=\"src/ok.js\" classname=\"src/ok\" />\n"
        "  </testsuite>\n"
        "</testsuites>\n");
}
