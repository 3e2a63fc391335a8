#include "engine/rule.h"

#include <algorithm>
#include <mutex>

namespace asynclint {

namespace {
std::vector<std::unique_ptr<Rule>>& owned_rules() {
  static std::vector<std::unique_ptr<Rule>> rules;
  return rules;
}
}  // namespace

void RuleRegistry::add(std::unique_ptr<Rule> rule) { owned_rules().push_back(std::move(rule)); }

const std::vector<const Rule*>& RuleRegistry::rules() {
  // Registration runs in static initialisers of unspecified order; sorting once gives every run the
  // same rule indices.
  static const std::vector<const Rule*> sorted = [] {
    std::vector<const Rule*> list;
    for (const auto& rule : owned_rules()) list.push_back(rule.get());
    std::sort(list.begin(), list.end(), [](const Rule* a, const Rule* b) { return a->meta().id < b->meta().id; });
    return list;
  }();
  return sorted;
}

const Rule* RuleRegistry::find(std::string_view id, std::uint16_t* index) {
  const auto& list = rules();
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i]->meta().id == id) {
      if (index) *index = static_cast<std::uint16_t>(i);
      return list[i];
    }
  }
  return nullptr;
}

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::Off: return "off";
    case Severity::Warn: return "warn";
    case Severity::Error: return "error";
  }
  return "off";
}

bool parse_severity(std::string_view text, Severity& out) {
  if (text == "off" || text == "0") out = Severity::Off;
  else if (text == "warn" || text == "warning" || text == "1") out = Severity::Warn;
  else if (text == "error" || text == "2") out = Severity::Error;
  else return false;
  return true;
}

}  // namespace asynclint
