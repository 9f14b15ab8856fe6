#pragma once

#include <string>

#include "daemon/core/status.h"

namespace warmth::push {

// The secret in `path` (a token, one line; surrounding white space dropped).
// kPermissionDenied when the file is open to its group or others (mode
// 0600 or stricter is required) or is not a regular file; kNotFound when it
// cannot be read; kInvalidArgument when it is empty or spans lines. The
// messages name the file, never the secret.
core::Result<std::string> ReadSecretFile(const std::string& path);

}  // namespace warmth::push
