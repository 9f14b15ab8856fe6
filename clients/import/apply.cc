#include "clients/import/apply.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <ostream>

#include "clients/common/format.h"
#include "daemon/core/identifiers.h"

namespace warmth::import {
namespace {

using core::Status;

std::string Hex6(std::uint64_t h) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(6, '0');
  for (int i = 5; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kHex[h & 0xF];
    h >>= 4;
  }
  return out;
}

bool SameBirthday(const v1::Contact& c, const Birthday& b) {
  return c.has_birthday() && c.birthday().month() == b.month && c.birthday().day() == b.day &&
         c.birthday().year() == b.year;
}

std::string Plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// What the import knows about contacts: the daemon's answers and the
// changes made (or, in a dry run, planned) so far, so that two records of
// one file naming the same person meet in one contact either way.
class Directory {
 public:
  Directory(client::Client& client, bool dry_run) : client_(client), dry_run_(dry_run) {}

  // The contact `key` (an id or identifier) names, if any.
  core::Result<std::optional<v1::Contact>> Find(const std::string& key) {
    // A record's identifiers are normalized already (phone numbers too,
    // which do not read here and are taken as they are).
    auto norm = core::NormalizeIdentifier(key, {});
    const std::string k = norm.ok() ? *norm : key;
    if (const auto it = owner_.find(k); it != owner_.end()) {
      return std::optional<v1::Contact>(contacts_.at(it->second));
    }
    if (const auto it = contacts_.find(key); it != contacts_.end()) {
      return std::optional<v1::Contact>(it->second);
    }
    if (offline_) {
      return std::optional<v1::Contact>();
    }
    v1::Request request;
    request.mutable_get_contact()->set_contact_id(key);
    auto reply = client_.Call(request);
    if (!reply.ok()) {
      if (reply.status().code() == core::Code::kNotFound ||
          reply.status().code() == core::Code::kInvalidArgument) {
        return std::optional<v1::Contact>();
      }
      if (reply.status().code() == core::Code::kUnavailable && dry_run_) {
        offline_ = true;  // a dry run may look at a file with no daemon running
        return std::optional<v1::Contact>();
      }
      return reply.status();
    }
    Remember(reply->contact().contact());
    return std::optional<v1::Contact>(reply->contact().contact());
  }

  void Remember(const v1::Contact& c) {
    contacts_[c.id()] = c;
    for (const auto& ident : c.identifiers()) {
      owner_[ident] = c.id();
    }
  }

  bool offline() const { return offline_; }

 private:
  client::Client& client_;
  bool dry_run_;
  bool offline_ = false;
  std::map<std::string, v1::Contact> contacts_;  // by id
  std::map<std::string, std::string> owner_;     // identifier -> id
};

std::string Describe(const ContactRecord& r, const v1::Contact& c) {
  std::string s = c.id();
  if (!r.display_name.empty()) {
    s += " (" + r.display_name + ")";
  }
  return s;
}

// The contact a record is about, and where its identifiers go.
struct Target {
  std::optional<v1::Contact> contact;
  std::vector<std::string> keep;                               // identifiers that may join it
  std::vector<std::pair<std::string, std::string>> elsewhere;  // identifier, owner id
};

// The owner of one of the record's identifiers, else the contact with its id.
core::Result<Target> ResolveTarget(Directory& directory, const ContactRecord& r) {
  Target target;
  for (const auto& ident : r.identifiers) {
    auto found = directory.Find(ident);
    if (!found.ok()) {
      return found.status();
    }
    if (*found && (!target.contact || (*found)->id() == target.contact->id())) {
      target.contact = **found;
      target.keep.push_back(ident);
    } else if (!*found || (*found)->circle() == v1::CIRCLE_UNSPECIFIED) {
      target.keep.push_back(ident);  // new, or an unsorted contact the daemon merges in
    } else {
      target.elsewhere.emplace_back(ident, (*found)->id());
    }
  }
  if (!target.contact) {
    auto found = directory.Find(ContactId(r));
    if (!found.ok()) {
      return found.status();
    }
    target.contact = *found;
  }
  return target;
}

// Upserts the planned contact and takes the daemon's version of it. False
// when the daemon refused it (counted and reported); an error when it is
// not running.
core::Result<bool> SaveContact(client::Client& client, const ContactRecord& r, ContactPlan& plan,
                               ContactTotals& totals, std::ostream& err) {
  v1::Request request;
  *request.mutable_upsert_contact()->mutable_contact() = plan.contact;
  auto reply = client.Call(request);
  if (!reply.ok()) {
    if (reply.status().code() == core::Code::kUnavailable) {
      return reply.status();
    }
    ++totals.failed;
    err << "warmctl: " << r.where << ": " << reply.status().message() << '\n';
    return false;
  }
  plan.contact = reply->contact().contact();
  return true;
}

// Counts a created or updated contact and prints the line saying so.
void PrintChange(const ContactRecord& r, const ContactPlan& plan, const std::string& would,
                 ContactTotals& totals, std::ostream& out) {
  if (plan.action == ContactPlan::Action::kCreate) {
    ++totals.created;
    out << would << "create " << Describe(r, plan.contact);
    if (plan.contact.identifiers_size() > 0) {
      out << " <";
      for (int i = 0; i < plan.contact.identifiers_size(); ++i) {
        out << (i > 0 ? ", " : "") << plan.contact.identifiers(i);
      }
      out << ">";
    }
    out << '\n';
  } else {
    ++totals.updated;
    out << would << "update " << Describe(r, plan.contact) << ":";
    for (std::size_t i = 0; i < plan.changes.size(); ++i) {
      out << (i > 0 ? ", " : " ") << plan.changes[i];
    }
    out << '\n';
  }
}

}  // namespace

std::string ContactId(const ContactRecord& record) {
  std::string slug;
  for (char c : record.display_name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      slug += static_cast<char>(std::tolower(u));
    } else if (u >= 0x80) {
      slug += c;  // UTF-8 letters stay as they are
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
    if (slug.size() >= 48) {
      break;
    }
  }
  // Never end inside a UTF-8 character (the cut above may fall in one), or
  // on a dash: drop an incomplete last character.
  std::size_t start = slug.size();
  while (start > 0 && (static_cast<unsigned char>(slug[start - 1]) & 0xC0) == 0x80) {
    --start;
  }
  if (start > 0 && static_cast<unsigned char>(slug[start - 1]) >= 0xC0) {
    const auto lead = static_cast<unsigned char>(slug[start - 1]);
    const std::size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (slug.size() - (start - 1) < len) {
      slug.resize(start - 1);
    }
  }
  while (!slug.empty() && slug.back() == '-') {
    slug.pop_back();
  }
  if (slug.empty()) {
    slug = "contact";
  }
  return slug + "-" + Hex6(core::StableHash(record.key.empty() ? record.display_name : record.key));
}

ContactPlan PlanContact(const ContactRecord& r, const v1::Contact* existing,
                        std::optional<v1::Circle> circle) {
  ContactPlan plan;
  if (existing == nullptr) {
    plan.action = ContactPlan::Action::kCreate;
    v1::Contact& c = plan.contact;
    c.set_id(ContactId(r));
    c.set_display_name(r.display_name);
    for (const auto& i : r.identifiers) {
      c.add_identifiers(i);
    }
    c.set_city(r.city);
    if (r.birthday) {
      c.mutable_birthday()->set_month(r.birthday->month);
      c.mutable_birthday()->set_day(r.birthday->day);
      c.mutable_birthday()->set_year(r.birthday->year);
    }
    for (const auto& t : r.tags) {
      c.add_tags(t);
    }
    c.set_circle(circle.value_or(v1::CIRCLE_UNSPECIFIED));
    return plan;
  }
  v1::Contact c = *existing;
  if (c.display_name().empty() && !r.display_name.empty()) {
    c.set_display_name(r.display_name);
    plan.changes.push_back("name");
  }
  std::size_t added = 0;
  for (const auto& i : r.identifiers) {
    if (std::find(c.identifiers().begin(), c.identifiers().end(), i) == c.identifiers().end() &&
        c.identifiers_size() < 32) {
      c.add_identifiers(i);
      ++added;
    }
  }
  if (added > 0) {
    plan.changes.push_back("+" + Plural(added, "identifier"));
  }
  if (c.city().empty() && !r.city.empty()) {
    c.set_city(r.city);
    plan.changes.push_back("city " + r.city);
  }
  if (r.birthday) {
    const bool none = !c.has_birthday() || c.birthday().month() == 0;
    const bool adds_year = !none && c.birthday().year() == 0 && r.birthday->year != 0 &&
                           c.birthday().month() == r.birthday->month &&
                           c.birthday().day() == r.birthday->day;
    if ((none || adds_year) && !SameBirthday(c, *r.birthday)) {
      c.mutable_birthday()->set_month(r.birthday->month);
      c.mutable_birthday()->set_day(r.birthday->day);
      c.mutable_birthday()->set_year(r.birthday->year);
      plan.changes.push_back("birthday");
    }
  }
  std::vector<std::string> new_tags;
  for (const auto& t : r.tags) {
    if (std::find(c.tags().begin(), c.tags().end(), t) == c.tags().end() && c.tags_size() < 32) {
      c.add_tags(t);
      new_tags.push_back(t);
    }
  }
  if (!new_tags.empty()) {
    std::string s = "+tags ";
    for (std::size_t i = 0; i < new_tags.size(); ++i) {
      s += (i > 0 ? "," : "") + new_tags[i];
    }
    plan.changes.push_back(s);
  }
  if (circle && c.circle() == v1::CIRCLE_UNSPECIFIED && *circle != v1::CIRCLE_UNSPECIFIED) {
    c.set_circle(*circle);
    plan.changes.push_back("circle");
  }
  plan.action =
      plan.changes.empty() ? ContactPlan::Action::kUnchanged : ContactPlan::Action::kUpdate;
  plan.contact = std::move(c);
  return plan;
}

core::Result<ContactTotals> ApplyContacts(client::Client& client,
                                          const std::vector<ContactRecord>& records,
                                          const ImportOptions& options, std::ostream& out,
                                          std::ostream& err) {
  ContactTotals totals;
  Directory directory(client, options.dry_run);
  const std::string would = options.dry_run ? "would " : "";
  for (ContactRecord r : records) {
    for (const auto& t : options.tags) {
      AddTag(r.tags, t);
    }
    auto target = ResolveTarget(directory, r);
    if (!target.ok()) {
      return target.status();
    }
    r.identifiers = target->keep;
    for (const auto& [ident, owner] : target->elsewhere) {
      err << "warmctl: " << r.where << ": " << ident << " already belongs to contact " << owner
          << "; left there\n";
    }
    ContactPlan plan =
        PlanContact(r, target->contact ? &*target->contact : nullptr, options.circle);
    if (plan.action == ContactPlan::Action::kUnchanged) {
      ++totals.unchanged;
      if (options.verbose) {
        out << "unchanged " << Describe(r, plan.contact) << '\n';
      }
      continue;
    }
    if (!options.dry_run) {
      auto saved = SaveContact(client, r, plan, totals, err);
      if (!saved.ok()) {
        return saved.status();
      }
      if (!*saved) {
        continue;
      }
    }
    directory.Remember(plan.contact);
    PrintChange(r, plan, would, totals, out);
  }
  totals.offline = directory.offline();
  return totals;
}

core::Result<CalendarTotals> ApplyCalendar(client::Client& client, const CalendarFile& calendar,
                                           const ImportOptions& options, std::ostream& out,
                                           std::ostream& err) {
  CalendarTotals totals;
  totals.meetings = static_cast<std::int64_t>(calendar.meetings.size());
  if (options.dry_run || options.verbose) {
    for (const auto& m : calendar.meetings) {
      out << (options.dry_run ? "would log " : "log ")
          << core::FormatUtc(client::FromProto(m.occurred_at())) << "  "
          << (m.channel() == v1::VIDEO ? "video     " : "in_person ");
      for (int i = 0; i < m.contacts_size(); ++i) {
        out << (i > 0 ? ", " : "") << m.contacts(i);
      }
      out << '\n';
    }
  }
  if (!options.dry_run && !calendar.meetings.empty()) {
    auto sent = client.IngestAll(calendar.meetings, client::Client::IngestOptions{});
    if (!sent.ok()) {
      return sent.status();
    }
    totals.accepted = sent->accepted;
    totals.duplicate = sent->duplicate;
    totals.rejected = sent->rejected;
    for (const auto& [id, reason] : sent->rejections) {
      err << "warmctl: meeting " << id << ": " << reason << '\n';
    }
  }
  if (calendar.trips.empty()) {
    return totals;
  }
  // Existing trips, to upsert only what is new or changed.
  std::map<std::string, v1::Trip> existing;
  v1::Request list;
  list.mutable_list_trips();
  auto reply = client.Call(list);
  if (!reply.ok()) {
    if (!(options.dry_run && reply.status().code() == core::Code::kUnavailable)) {
      return reply.status();
    }
    totals.offline = true;
  } else {
    for (const auto& t : reply->trips().trips()) {
      existing[t.id()] = t;
    }
  }
  const std::string would = options.dry_run ? "would " : "";
  for (const auto& trip : calendar.trips) {
    const auto it = existing.find(trip.id());
    const bool same = it != existing.end() && it->second.city() == trip.city() &&
                      it->second.starts_at().seconds() == trip.starts_at().seconds() &&
                      it->second.ends_at().seconds() == trip.ends_at().seconds();
    if (same) {
      ++totals.trips_unchanged;
      continue;
    }
    if (!options.dry_run) {
      v1::Request request;
      *request.mutable_upsert_trip()->mutable_trip() = trip;
      auto r = client.Call(request);
      if (!r.ok()) {
        if (r.status().code() == core::Code::kUnavailable) {
          return r.status();
        }
        err << "warmctl: trip " << trip.id() << ": " << r.status().message() << '\n';
        continue;
      }
    }
    ++(it == existing.end() ? totals.trips_new : totals.trips_changed);
    out << would << (it == existing.end() ? "add" : "update") << " trip " << trip.id() << ": "
        << trip.city() << ", " << core::FormatUtc(client::FromProto(trip.starts_at())) << " to "
        << core::FormatUtc(client::FromProto(trip.ends_at())) << '\n';
  }
  return totals;
}

core::Result<int> NameContacts(client::Client& client,
                               const std::map<std::string, std::string>& names, bool dry_run,
                               std::ostream& err) {
  int named = 0;
  for (const auto& [identifier, name] : names) {
    v1::Request get;
    get.mutable_get_contact()->set_contact_id(identifier);
    auto found = client.Call(get);
    if (!found.ok()) {
      if (found.status().code() == core::Code::kUnavailable && !dry_run) {
        return found.status();
      }
      continue;  // not created (dry run, or the number was refused)
    }
    const v1::Contact& contact = found->contact().contact();
    if (!contact.display_name().empty()) {
      continue;
    }
    ++named;
    if (dry_run) {
      continue;
    }
    v1::Request upsert;
    *upsert.mutable_upsert_contact()->mutable_contact() = contact;
    upsert.mutable_upsert_contact()->mutable_contact()->set_display_name(name);
    auto r = client.Call(upsert);
    if (!r.ok()) {
      if (r.status().code() == core::Code::kUnavailable) {
        return r.status();
      }
      --named;
      err << "warmctl: naming " << contact.id() << ": " << r.status().message() << '\n';
    }
  }
  return named;
}

}  // namespace warmth::import
