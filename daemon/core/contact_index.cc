#include "daemon/core/contact_index.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

namespace warmth::core {

void Candidates::Set(NudgeKind kind, std::optional<Candidate> c) {
  const auto it = std::find_if(present_.begin(), present_.end(),
                               [kind](const Candidate& p) { return p.kind == kind; });
  if (!c) {
    if (it != present_.end()) {
      present_.erase(it);
    }
    return;
  }
  c->kind = kind;
  if (it != present_.end()) {
    *it = std::move(*c);
  } else {
    present_.push_back(std::move(*c));
  }
}

const Candidate* Candidates::Get(NudgeKind kind) const {
  const auto it = std::find_if(present_.begin(), present_.end(),
                               [kind](const Candidate& p) { return p.kind == kind; });
  return it == present_.end() ? nullptr : &*it;
}

void ContactIndex::Reserve(std::size_t n) {
  contacts_.reserve(n);
  by_id_.reserve(n);
  by_identifier_.reserve(n);
}

ContactRecord& ContactIndex::Load(std::int64_t cid, Contact contact) {
  ContactRecord& r = contacts_[cid];
  r.cid = cid;
  by_id_[contact.id] = cid;
  for (const auto& ident : contact.identifiers) {
    by_identifier_[ident] = cid;
  }
  r.contact = std::move(contact);
  next_cid_ = std::max(next_cid_, cid + 1);
  return r;
}

ContactRecord& ContactIndex::Create(const std::string& id, TimePoint now) {
  const std::int64_t cid = next_cid_++;
  ContactRecord& r = contacts_[cid];
  r.cid = cid;
  r.contact.id = id;
  r.created_at = now;
  by_id_[id] = cid;
  return r;
}

std::optional<std::int64_t> ContactIndex::Exact(std::string_view key) const {
  const std::string k(key);
  if (const auto it = by_id_.find(k); it != by_id_.end()) {
    return it->second;
  }
  // Identifiers are kept normalized, and normalizing is idempotent: a key
  // spelled as one is that one. Clients send phone numbers in E.164, and
  // reading a number with libphonenumber costs about 10 µs, most of an
  // ingest.
  if (const auto it = by_identifier_.find(k); it != by_identifier_.end()) {
    return it->second;
  }
  return std::nullopt;
}

const ContactRecord* ContactIndex::Find(std::string_view key) const {
  if (const auto cid = Exact(key)) {
    return &contacts_.at(*cid);
  }
  const auto norm = Normalize(key);
  if (!norm.ok()) {
    return nullptr;
  }
  const auto owner = OwnerOf(*norm);
  return owner ? &contacts_.at(*owner) : nullptr;
}

ContactRecord* ContactIndex::Find(std::string_view key) {
  return const_cast<ContactRecord*>(std::as_const(*this).Find(key));
}

ContactRecord* ContactIndex::FindById(const std::string& id) {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &contacts_.at(it->second);
}

ContactRecord* ContactIndex::Get(std::int64_t cid) {
  const auto it = contacts_.find(cid);
  return it == contacts_.end() ? nullptr : &it->second;
}

const ContactRecord* ContactIndex::Get(std::int64_t cid) const {
  const auto it = contacts_.find(cid);
  return it == contacts_.end() ? nullptr : &it->second;
}

std::optional<std::int64_t> ContactIndex::OwnerOf(const std::string& identifier) const {
  if (const auto it = by_identifier_.find(identifier); it != by_identifier_.end()) {
    return it->second;
  }
  if (const auto it = by_id_.find(identifier); it != by_id_.end()) {
    return it->second;
  }
  return std::nullopt;
}

Result<ContactIndex::Resolved> ContactIndex::Resolve(std::string_view raw) const {
  if (const auto cid = Exact(raw)) {
    return Resolved{*cid, {}};
  }
  // Find's steps, normalizing once.
  auto norm = Normalize(raw);
  if (!norm.ok()) {
    return norm.status();
  }
  if (const auto owner = OwnerOf(*norm)) {
    return Resolved{*owner, {}};
  }
  if (Status s = ValidateContactId(*norm); !s.ok()) {
    return Status::InvalidArgument("identifier: too long to name a new contact");
  }
  return Resolved{0, std::move(norm).value()};
}

void ContactIndex::SetContact(ContactRecord& r, Contact contact) {
  for (const auto& old : r.contact.identifiers) {
    if (std::find(contact.identifiers.begin(), contact.identifiers.end(), old) ==
        contact.identifiers.end()) {
      by_identifier_.erase(old);
    }
  }
  r.contact = std::move(contact);
  for (const auto& ident : r.contact.identifiers) {
    by_identifier_[ident] = r.cid;
  }
}

void ContactIndex::MoveIdentifiers(ContactRecord& from, ContactRecord& into) {
  for (const auto& ident : from.contact.identifiers) {
    if (by_identifier_[ident] == from.cid) {
      by_identifier_[ident] = into.cid;
      into.contact.identifiers.push_back(ident);
    }
  }
}

std::vector<std::int64_t> ContactIndex::RespellPhones() {
  std::vector<std::int64_t> cids;
  for (const auto& [cid, r] : contacts_) {
    cids.push_back(cid);
  }
  // In order, so that which of two contacts keeps a contested spelling does
  // not depend on a hash map's order.
  std::sort(cids.begin(), cids.end());
  std::vector<std::int64_t> changed;
  for (std::int64_t cid : cids) {
    ContactRecord& r = contacts_.at(cid);
    std::vector<std::string> respelled;
    bool any = false;
    for (const std::string& ident : r.contact.identifiers) {
      std::string now = ident;
      const bool legacy =
          ident.size() > 2 && ident[0] == '+' &&
          std::all_of(ident.begin() + 1, ident.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (legacy && phone_) {
        // No country code starts with 0: "+0…" was a national number.
        const std::string_view spelled = ident;
        const std::string_view number = ident[1] == '0' ? spelled.substr(1) : spelled;
        auto e164 = phone_(number);
        const auto owner = e164.ok() ? OwnerOf(*e164) : std::nullopt;
        if (e164.ok() && *e164 != ident && (!owner || *owner == cid)) {
          now = std::move(e164).value();
        }
      }
      if (std::find(respelled.begin(), respelled.end(), now) == respelled.end()) {
        respelled.push_back(now);
      }
      any = any || now != ident;
    }
    if (any) {
      Contact c = r.contact;
      c.identifiers = std::move(respelled);
      SetContact(r, std::move(c));
      changed.push_back(cid);
    }
  }
  return changed;
}

void ContactIndex::IndexConversation(ContactRecord& r) {
  const auto& at = r.history.summary().last_conversation_at;
  if (r.indexed_conversation_at == at) {
    return;
  }
  if (r.indexed_conversation_at) {
    by_last_conversation_.erase({*r.indexed_conversation_at, r.cid});
  }
  if (at) {
    by_last_conversation_.insert({*at, r.cid});
  }
  r.indexed_conversation_at = at;
}

namespace {

// log2 of the warmth at t = 0 that decays to the summary's warmth: equal
// half-lives, equal order at any time. No warmth: before everyone.
double ColdKey(const Summary& s, Duration half_life) {
  if (!s.last_at || s.warmth <= 0 || half_life <= Duration::zero()) {
    return s.last_at && s.warmth > 0 ? s.warmth : -std::numeric_limits<double>::infinity();
  }
  const double since_epoch = static_cast<double>(s.last_at->time_since_epoch().count());
  return std::log2(s.warmth) + since_epoch / static_cast<double>(half_life.count());
}

}  // namespace

void ContactIndex::IndexOrder(ContactRecord& r, Duration half_life) {
  ContactRecord::OrderKey now;
  now.sorted = r.IsSorted();
  if (now.sorted) {
    now.half_life = half_life.count();
    now.key = ColdKey(r.history.summary(), half_life);
  } else {
    now.key = static_cast<double>(r.history.size());
  }
  if (r.indexed_order == now) {
    return;
  }
  Unfile(r);
  if (now.sorted) {
    coldest_[now.half_life].insert(Filed{now.key, &r});
  } else {
    busiest_unsorted_.insert(Filed{now.key, &r});
  }
  r.indexed_order = now;
}

std::uint64_t ContactIndex::IdHead(std::string_view id) {
  std::uint64_t head = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    head = (head << 8) | (i < id.size() ? static_cast<unsigned char>(id[i]) : 0U);
  }
  return head;
}

void ContactIndex::Unfile(const ContactRecord& r) {
  if (!r.indexed_order) {
    return;
  }
  const Filed filed{r.indexed_order->key, &r};
  if (!r.indexed_order->sorted) {
    busiest_unsorted_.erase(filed);
    return;
  }
  const auto group = coldest_.find(r.indexed_order->half_life);
  if (group != coldest_.end()) {
    group->second.erase(filed);
    if (group->second.empty()) {
      coldest_.erase(group);
    }
  }
}

void ContactIndex::VisitColdestFirst(TimePoint now,
                                     const std::function<bool(const ContactRecord&)>& visit) const {
  struct Head {
    double warmth;
    std::set<Filed, ColdFirst>::const_iterator at;
    std::set<Filed, ColdFirst>::const_iterator end;
    Duration half_life;
  };
  // The warmest head on top of a max-heap would be wrong: coldest on top.
  const auto warmer = [](const Head& a, const Head& b) {
    return a.warmth != b.warmth ? a.warmth > b.warmth
                                : a.at->record->contact.id > b.at->record->contact.id;
  };
  std::priority_queue<Head, std::vector<Head>, decltype(warmer)> heads(warmer);
  const auto push = [&](std::set<Filed, ColdFirst>::const_iterator at,
                        std::set<Filed, ColdFirst>::const_iterator end, Duration half_life) {
    if (at != end) {
      heads.push(Head{WarmthAt(at->record->history.summary(), now, half_life), at, end, half_life});
    }
  };
  for (const auto& [half_life, group] : coldest_) {
    push(group.begin(), group.end(), Duration(half_life));
  }
  while (!heads.empty()) {
    Head head = heads.top();
    heads.pop();
    if (!visit(*head.at->record)) {
      return;
    }
    push(std::next(head.at), head.end, head.half_life);
  }
}

void ContactIndex::VisitUnsortedBusiestFirst(
    const std::function<bool(const ContactRecord&)>& visit) const {
  for (const Filed& filed : busiest_unsorted_) {
    if (!visit(*filed.record)) {
      return;
    }
  }
}

void ContactIndex::Erase(std::int64_t cid) {
  const auto rec = contacts_.find(cid);
  if (rec == contacts_.end()) {
    return;
  }
  const ContactRecord& r = rec->second;
  Unfile(r);
  if (r.indexed_conversation_at) {
    by_last_conversation_.erase({*r.indexed_conversation_at, cid});
  }
  if (const auto it = by_id_.find(r.contact.id); it != by_id_.end() && it->second == cid) {
    by_id_.erase(it);
  }
  for (const auto& ident : r.contact.identifiers) {
    if (const auto it = by_identifier_.find(ident);
        it != by_identifier_.end() && it->second == cid) {
      by_identifier_.erase(it);
    }
  }
  contacts_.erase(rec);
}

}  // namespace warmth::core
