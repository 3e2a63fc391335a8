// The line- and XML-based formats CI systems read: unix (grep-like, for editors' quickfix lists), GitHub
// Actions workflow annotations, Checkstyle XML (Jenkins, GitLab code quality importers), JUnit XML.
#include <string>

#include "report/report.h"

namespace asynclint {

namespace {

// In attributes a raw newline would be normalised to a space by every XML parser: encode it.
std::string xml_escape(std::string_view text, bool attribute = true) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (attribute && c == '\n') {
      out += "&#10;";
      continue;
    }
    if (attribute && c == '\r') {
      out += "&#13;";
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters other than tab/newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') out += ' ';
        else out += c;
    }
  }
  return out;
}

// GitHub's workflow-command escaping: the message (data) escapes %, CR and LF; property values also
// escape ':' and ','.
std::string github_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}
std::string github_property(std::string_view text) {
  std::string out;
  for (char c : github_data(text)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string_view capitalized_severity(Severity severity) { return severity == Severity::Error ? "Error" : "Warning"; }

}  // namespace

void write_unix(std::ostream& out, const LintRun& run) {
  std::size_t problems = 0;
  for (const auto& file : run.files) {
    if (const auto& syntax = file.first_syntax_error) {
      out << file.path << ':' << syntax->start.line << ':' << syntax->start.column << ": Parsing error: " << syntax->message << " ["
          << (run.syntax_errors_fail ? "Error" : "Note") << "]\n";
      if (run.syntax_errors_fail) ++problems;
    }
    for (const auto& d : file.diagnostics) {
      out << file.path << ':' << d.start.line << ':' << d.start.column << ": " << d.message << " ["
          << capitalized_severity(d.severity) << '/' << d.rule_id << "]\n";
      ++problems;
    }
  }
  if (problems) out << '\n' << problems << (problems == 1 ? " problem" : " problems") << '\n';
}

void write_github(std::ostream& out, const LintRun& run) {
  for (const auto& file : run.files) {
    if (const auto& syntax = file.first_syntax_error)
      out << "::" << (run.syntax_errors_fail ? "error" : "notice") << " file=" << github_property(file.path) << ",line=" << syntax->start.line
          << ",col=" << syntax->start.column << ",endLine=" << syntax->end.line << ",endColumn=" << syntax->end.column
          << ",title=" << github_property("asynclint (parsing error)") << "::" << github_data("Parsing error: " + syntax->message) << '\n';
    for (const auto& d : file.diagnostics)
      out << "::" << (d.severity == Severity::Error ? "error" : "warning") << " file=" << github_property(file.path)
          << ",line=" << d.start.line << ",col=" << d.start.column << ",endLine=" << d.end.line << ",endColumn=" << d.end.column
          << ",title=" << github_property("asynclint(" + d.rule_id + ")") << "::" << github_data(d.message) << '\n';
  }
}

void write_checkstyle(std::ostream& out, const LintRun& run) {
  out << "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<checkstyle version=\"4.3\">\n";
  for (const auto& file : run.files) {
    if (file.diagnostics.empty() && !file.first_syntax_error) continue;
    out << "  <file name=\"" << xml_escape(file.path) << "\">\n";
    if (const auto& syntax = file.first_syntax_error)
      out << "    <error line=\"" << syntax->start.line << "\" column=\"" << syntax->start.column << "\" severity=\""
          << (run.syntax_errors_fail ? "error" : "info") << "\" message=\"" << xml_escape("Parsing error: " + syntax->message)
          << "\" source=\"asynclint.parsing-error\" />\n";
    for (const auto& d : file.diagnostics)
      out << "    <error line=\"" << d.start.line << "\" column=\"" << d.start.column << "\" severity=\""
          << (d.severity == Severity::Error ? "error" : "warning") << "\" message=\"" << xml_escape(d.message)
          << "\" source=\"asynclint." << xml_escape(d.rule_id) << "\" />\n";
    out << "  </file>\n";
  }
  out << "</checkstyle>\n";
}

void write_junit(std::ostream& out, const LintRun& run) {
  // One test suite per linted file; a clean file is one passing test case, each finding one failing case.
  out << "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<testsuites>\n";
  for (const auto& file : run.files) {
    const std::string path = xml_escape(file.path);
    std::string classname = file.path.substr(0, file.path.rfind('.'));
    // A syntax error is one more case: failing with --error-on-syntax, otherwise skipped (nothing inside
    // the broken part was linted).
    const auto& syntax = file.first_syntax_error;
    const std::size_t syntax_cases = syntax ? 1 : 0;
    const std::size_t failures = file.diagnostics.size() + (syntax && run.syntax_errors_fail ? 1 : 0);
    out << "  <testsuite package=\"org.asynclint\" time=\"0\" tests=\"" << std::max<std::size_t>(1, file.diagnostics.size() + syntax_cases)
        << "\" errors=\"0\" failures=\"" << failures << "\"" << (syntax && !run.syntax_errors_fail ? " skipped=\"1\"" : "")
        << " name=\"" << path << "\">\n";
    if (file.diagnostics.empty() && !syntax)
      out << "    <testcase time=\"0\" name=\"" << path << "\" classname=\"" << xml_escape(classname) << "\" />\n";
    if (syntax) {
      const std::string message = "Parsing error: " + syntax->message;
      out << "    <testcase time=\"0\" name=\"org.asynclint.parsing-error\" classname=\"" << xml_escape(classname) << "\">\n      ";
      if (run.syntax_errors_fail)
        out << "<failure message=\"" << xml_escape(message) << "\">line " << syntax->start.line << ", col " << syntax->start.column
            << ", Error - " << xml_escape(message, false) << "</failure>";
      else
        out << "<skipped message=\"" << xml_escape(message + " (line " + std::to_string(syntax->start.line) + ", col " +
                                                   std::to_string(syntax->start.column) + ")") << "\" />";
      out << "\n    </testcase>\n";
    }
    for (const auto& d : file.diagnostics) {
      out << "    <testcase time=\"0\" name=\"org.asynclint." << xml_escape(d.rule_id) << "\" classname=\"" << xml_escape(classname)
          << "\">\n      <failure message=\"" << xml_escape(d.message) << "\">line " << d.start.line << ", col " << d.start.column
          << ", " << capitalized_severity(d.severity) << " - " << xml_escape(d.message, false) << " (" << xml_escape(d.rule_id)
          << ")</failure>\n    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace asynclint
