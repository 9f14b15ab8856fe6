#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "daemon/core/history.h"
#include "daemon/core/identifiers.h"
#include "daemon/core/rules.h"
#include "daemon/core/status.h"
#include "daemon/core/types.h"

namespace warmth::core {

// A contact's rule candidates, at most one per kind. Most contacts have one
// or none at a time, so only those present are kept: a slot per kind cost
// 648 bytes in every contact, half of a record.
class Candidates {
 public:
  // Replaces the candidate of `kind` (c->kind is `kind`), or removes it.
  void Set(NudgeKind kind, std::optional<Candidate> c);
  // The candidate of `kind`, or nullptr.
  const Candidate* Get(NudgeKind kind) const;

 private:
  std::vector<Candidate> present_;  // any order, one per kind
};

// One contact in memory: who it is, its history, and the rule candidates the
// engine last computed for it.
struct ContactRecord {
  std::int64_t cid = 0;
  Contact contact;
  History history;
  OptionalTime snoozed_until;
  TimePoint created_at;
  Candidates candidates;
  OptionalTime indexed_conversation_at;
  // Where ContactIndex::IndexOrder last filed it (ContactIndex's to keep).
  struct OrderKey {
    bool sorted = false;
    Duration::rep half_life = 0;  // sorted: its group
    double key = 0;               // sorted: ColdKey; unsorted: its number of events
    friend bool operator==(const OrderKey&, const OrderKey&) = default;
  };
  std::optional<OrderKey> indexed_order;

  bool IsSorted() const { return contact.circle != Circle::kUnspecified; }
  const std::string& DisplayName() const {
    return contact.display_name.empty() ? contact.id : contact.display_name;
  }
  // The first phone identifier, stored in E.164 ("+12025550100"); "" when none.
  std::string Phone() const {
    for (const std::string& identifier : contact.identifiers) {
      if (identifier.size() > 1 && identifier[0] == '+' &&
          identifier.find_first_not_of("0123456789", 1) == std::string::npos) {
        return identifier;
      }
    }
    return {};
  }
};

// Every contact by internal number, id and normalized identifier, and by the
// time of its last online conversation (for the weekend pick). It owns the
// invariant that each index names only live records; it journals nothing.
// Loop thread only.
class ContactIndex {
 public:
  // Either an existing contact or an identifier to create one for.
  struct Resolved {
    std::int64_t cid = 0;
    std::string new_identifier;
  };
  using ByConversation = std::set<std::pair<TimePoint, std::int64_t>>;

  // `phone` reads phone identifiers (NormalizeIdentifier); unset: they are
  // refused.
  explicit ContactIndex(PhoneNormalizer phone = {}) : phone_(std::move(phone)) {}

  // Room for `n` contacts with an identifier each, before loading them.
  void Reserve(std::size_t n);
  // A stored contact, as loaded.
  ContactRecord& Load(std::int64_t cid, Contact contact);
  // A new record with the next number, id `id` and no identifiers.
  ContactRecord& Create(const std::string& id, TimePoint now);

  // By id, then by normalized identifier (or an unsorted id spelled so).
  const ContactRecord* Find(std::string_view key) const;
  ContactRecord* Find(std::string_view key);
  ContactRecord* FindById(const std::string& id);
  ContactRecord& At(std::int64_t cid) { return contacts_.at(cid); }
  const ContactRecord& At(std::int64_t cid) const { return contacts_.at(cid); }
  ContactRecord* Get(std::int64_t cid);
  const ContactRecord* Get(std::int64_t cid) const;
  // Who holds `identifier` (normalized), as an identifier or as an id.
  std::optional<std::int64_t> OwnerOf(const std::string& identifier) const;
  // An existing contact, or the normalized identifier to create one for;
  // kInvalidArgument for an unusable identifier.
  Result<Resolved> Resolve(std::string_view raw) const;
  // NormalizeIdentifier with this index's phone normalizer.
  Result<std::string> Normalize(std::string_view raw) const {
    return NormalizeIdentifier(raw, phone_);
  }
  const PhoneNormalizer& Phone() const { return phone_; }

  // Replaces the record's contact and re-points the identifier index: its old
  // identifiers not in `contact` are released.
  void SetContact(ContactRecord& r, Contact contact);
  // Identifiers of `from` that still point at it now point at `into`, and are
  // appended to `into`'s contact.
  void MoveIdentifiers(ContactRecord& from, ContactRecord& into);
  // Phone identifiers stored before they were read with libphonenumber,
  // respelled in E.164 with this index's normalizer: "+01711234567" (once
  // "tel:0171 1234567", a national number) as the number "0171 1234567" in
  // the region, "+4901711234567" (once "+49 (0)171 …") as "+491711234567".
  // A spelling another contact already holds is left alone (no silent
  // merge), and so is one that does not read. Returns the changed records'
  // numbers, in order.
  std::vector<std::int64_t> RespellPhones();
  // Keeps the by-conversation index in step with the record's summary.
  void IndexConversation(ContactRecord& r);
  // Keeps the listing order in step with the record's summary, its circle
  // and `half_life` (the engine's HalfLife for it): called after every
  // Refresh, so a listing never sorts.
  void IndexOrder(ContactRecord& r, Duration half_life);
  // Calls `visit` with the contacts with a circle, coldest at `now` first
  // (ties by id), until it returns false. O(k log g) for the first k of g
  // half-lives.
  void VisitColdestFirst(TimePoint now,
                         const std::function<bool(const ContactRecord&)>& visit) const;
  // The unsorted contacts, most events first (ties by id), until `visit`
  // returns false.
  void VisitUnsortedBusiestFirst(const std::function<bool(const ContactRecord&)>& visit) const;
  // Drops the record and every index entry naming it.
  void Erase(std::int64_t cid);

  const ByConversation& by_last_conversation() const { return by_last_conversation_; }
  auto begin() const { return contacts_.begin(); }
  auto end() const { return contacts_.end(); }
  auto begin() { return contacts_.begin(); }
  auto end() { return contacts_.end(); }
  std::size_t size() const { return contacts_.size(); }

 private:
  // By id, or by an identifier spelled exactly as stored: no normalizing.
  std::optional<std::int64_t> Exact(std::string_view key) const;

  // Warmth decays as w·2^(−(t−last)/h): for contacts sharing a half-life h,
  // log2(w) + last/h orders them by warmth at every t alike, so each
  // half-life keeps one ordered set, and a listing merges the sets' heads.
  struct Filed {
    Filed(double k, const ContactRecord* r) : key(k), id_head(IdHead(r->contact.id)), record(r) {}
    double key = 0;
    // The id's first 8 bytes, big-endian: orders as the id does wherever
    // they differ, so most ties are broken without reading the record
    // (a million unsorted contacts with one event each are all ties).
    std::uint64_t id_head = 0;
    const ContactRecord* record = nullptr;  // its id breaks ties; ids never change
  };
  static std::uint64_t IdHead(std::string_view id);
  static bool IdLess(const Filed& a, const Filed& b) {
    return a.id_head != b.id_head ? a.id_head < b.id_head
                                  : a.record->contact.id < b.record->contact.id;
  }
  struct ColdFirst {
    bool operator()(const Filed& a, const Filed& b) const {
      return a.key != b.key ? a.key < b.key : IdLess(a, b);
    }
  };
  struct BusyFirst {
    bool operator()(const Filed& a, const Filed& b) const {
      return a.key != b.key ? a.key > b.key : IdLess(a, b);
    }
  };
  void Unfile(const ContactRecord& r);

  PhoneNormalizer phone_;
  std::unordered_map<std::int64_t, ContactRecord> contacts_;
  std::map<Duration::rep, std::set<Filed, ColdFirst>> coldest_;  // by half-life
  std::set<Filed, BusyFirst> busiest_unsorted_;
  // Flat: one id or identifier costs its string and about 10 bytes, not a
  // node of its own.
  absl::flat_hash_map<std::string, std::int64_t> by_id_;
  absl::flat_hash_map<std::string, std::int64_t> by_identifier_;
  ByConversation by_last_conversation_;
  std::int64_t next_cid_ = 1;
};

}  // namespace warmth::core
