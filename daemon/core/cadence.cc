#include "daemon/core/cadence.h"

#include <cctype>
#include <cmath>

namespace warmth::core {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::string_view Name(CadenceSource s) {
  switch (s) {
    case CadenceSource::kContact:
      return "contact";
    case CadenceSource::kTag:
      return "tag";
    default:
      return "circle";
  }
}

Duration CadenceHalfLife(Duration every, const ModelOptions& model) {
  const double call = model.gain[static_cast<std::size_t>(Channel::kCall)];
  if (!(call > model.threshold)) {
    return every;
  }
  const double halvings = std::log2(call / model.threshold);
  return Duration(
      static_cast<Duration::rep>(std::llround(static_cast<double>(every.count()) / halvings)));
}

Cadence ResolveCadence(const Contact& contact, const ModelOptions& model,
                       const CadenceOptions& options) {
  Cadence c;
  if (contact.every) {
    c.source = CadenceSource::kContact;
    c.every = contact.every;
  } else if (!options.tags.empty()) {
    for (const std::string& tag : contact.tags) {
      const auto it = options.tags.find(Lower(tag));
      if (it != options.tags.end() && (!c.every || it->second < *c.every)) {
        c.source = CadenceSource::kTag;
        c.every = it->second;
        c.tag = it->first;
      }
    }
  }
  c.half_life =
      c.every ? CadenceHalfLife(*c.every, model) : model.HalfLife(contact.circle, contact.family);
  return c;
}

}  // namespace warmth::core
