#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/core/model.h"
#include "daemon/core/time.h"
#include "daemon/core/types.h"

namespace warmth::core {

// [cadence] in warmth.toml: how often to keep up contacts with a tag.
struct CadenceOptions {
  std::map<std::string, Duration> tags;  // lower-case tag → every
};

// Where a contact's cadence comes from, most specific first.
enum class CadenceSource : std::uint8_t { kContact, kTag, kCircle };
std::string_view Name(CadenceSource s);  // "contact", "tag", "circle"

struct Cadence {
  CadenceSource source = CadenceSource::kCircle;
  std::optional<Duration> every;  // kContact, kTag: the cadence
  std::string tag;                // kTag: which tag
  Duration half_life{};           // what the model decays with
};

// The half-life that makes one call from cold (warmth = the call's gain g)
// fall to the threshold T after `every`: every / log2(g / T). With the
// default numbers (45 and 30) that is every × 1.71. When a call does not
// reach the threshold (g ≤ T) the half-life is `every` itself.
Duration CadenceHalfLife(Duration every, const ModelOptions& model);

// The contact's own `every`, else the shortest cadence among its tags in
// [cadence] (case-insensitive), else its circle's half-life (doubled for
// family). A cadence you set is what you asked for: the family factor does
// not stretch it.
Cadence ResolveCadence(const Contact& contact, const ModelOptions& model,
                       const CadenceOptions& options);

}  // namespace warmth::core
