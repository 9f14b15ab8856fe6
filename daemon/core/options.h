#pragma once

#include "daemon/core/delivery.h"
#include "daemon/core/model.h"
#include "daemon/core/rules.h"

namespace warmth::core {

// [model], [rules] and [delivery] in warmth.toml: everything the engine is
// configured with.
struct EngineOptions {
  ModelOptions model;
  RuleOptions rules;
  DeliveryOptions delivery;
};

}  // namespace warmth::core
