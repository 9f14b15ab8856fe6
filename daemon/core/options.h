#pragma once

#include "daemon/core/cadence.h"
#include "daemon/core/delivery.h"
#include "daemon/core/model.h"
#include "daemon/core/rules.h"

namespace warmth::core {

// [model], [rules], [cadence] and [delivery] in warmth.toml: everything the engine is
// configured with.
struct EngineOptions {
  ModelOptions model;
  RuleOptions rules;
  DeliveryOptions delivery;
  CadenceOptions cadence;
};

}  // namespace warmth::core
