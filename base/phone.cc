#include "base/phone.h"

#include <cctype>
#include <set>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

namespace warmth::base {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

core::Status Unusable(const std::string& reason) {
  return core::Status::InvalidArgument(reason);
}

}  // namespace

bool IsPhoneRegion(std::string_view region) {
  static const std::set<std::string> supported = [] {
    std::set<std::string> regions;
    PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
    return regions;
  }();
  return supported.contains(std::string(region));
}

core::Result<std::string> ToE164(std::string_view number, std::string_view region) {
  std::size_t first = 0;
  while (first < number.size() && std::isspace(static_cast<unsigned char>(number[first]))) {
    ++first;
  }
  // libphonenumber looks for a number anywhere in its input ("call +49 171
  // …" parses): an identifier is the number itself, or nothing.
  const char lead = first < number.size() ? number[first] : '\0';
  if (!(std::isdigit(static_cast<unsigned char>(lead)) || lead == '+' || lead == '(')) {
    return Unusable("not a phone number");
  }
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber parsed;
  // "ZZ" is libphonenumber's "unknown region": only "+…" numbers parse.
  const std::string in_region = region.empty() ? "ZZ" : std::string(region);
  switch (util.Parse(std::string(number.substr(first)), in_region, &parsed)) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      if (lead == '+') {
        return Unusable("unknown country code");
      }
      return Unusable(region.empty()
                          ? "no country code: write it with + and the country code, or set "
                            "[me] region in warmth.toml for numbers written the national way"
                          : "unknown country code");
    case PhoneNumberUtil::NOT_A_NUMBER:
      return Unusable("not a phone number");
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return Unusable("too short");
    case PhoneNumberUtil::TOO_LONG_NSN:
      return Unusable("too long");
  }
  switch (util.IsPossibleNumberWithReason(parsed)) {
    case PhoneNumberUtil::IS_POSSIBLE:
      break;
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
      // Dialled without its area code: no E.164 spelling to match on.
      return Unusable("a local number: add its area code");
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
      return Unusable("unknown country code");
    case PhoneNumberUtil::TOO_SHORT:
      return Unusable("too short for its country");
    case PhoneNumberUtil::TOO_LONG:
      return Unusable("too long for its country");
    case PhoneNumberUtil::INVALID_LENGTH:
      return Unusable("not a possible length for its country");
  }
  std::string e164;
  util.Format(parsed, PhoneNumberUtil::E164, &e164);
  return e164;
}

core::PhoneNormalizer PhoneNormalizerFor(std::string region) {
  return [region = std::move(region)](std::string_view number) { return ToE164(number, region); };
}

}  // namespace warmth::base
