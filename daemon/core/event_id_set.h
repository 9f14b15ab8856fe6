#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <absl/container/flat_hash_set.h>

namespace warmth::core {

// The StableHash of every event id the engine has seen: the duplicate
// check's filter (a hash found here is confirmed by the store), and at a
// million contacts with ten interactions each the largest thing the engine
// holds.
//
// The ids loaded from a store sit in one sorted array, 8 bytes each, with a
// directory by their top bits: the hashes are spread evenly over 64 bits, so
// a bucket holds about kPerBucket of them and a lookup reads the directory
// and one bucket, two cache misses. It is built by one sort, on whichever
// thread read the ids: a hash set filled one insert at a time between
// SQLite's reads took 5 of a 14 s start-up at ten million ids, and about
// 15 bytes an id. The ids seen since sit in a hash set, folded into the
// array when it outgrows a quarter of it (one copy of the array: the
// longest insert, about 0.3 s at ten million), so that a long run ends
// with about 8 bytes an id too. Not thread-safe; moved between threads
// whole. Figures: docs/performance.md.
class EventIdSet {
 public:
  EventIdSet() = default;
  // The set of `hashes` (in any order, repeats allowed).
  explicit EventIdSet(std::vector<std::uint64_t> hashes);

  bool Contains(std::uint64_t hash) const;
  void Insert(std::uint64_t hash);
  // Adds every hash of `other`.
  void Merge(EventIdSet other);
  std::size_t size() const { return sorted_.size() + recent_.size(); }
  bool empty() const { return size() == 0; }
  // Bytes held beyond the object itself (the array, its directory and the
  // hash set's slots), for benchmarks.
  std::size_t HeapBytes() const;

  static constexpr std::size_t kPerBucket = 4;

 private:
  bool InSorted(std::uint64_t hash) const;
  // `sorted` (sorted, no repeats) as the array, and its directory.
  void Rebuild(std::vector<std::uint64_t> sorted);
  // recent_ into sorted_.
  void Fold();

  std::vector<std::uint64_t> sorted_;
  // directory_[b]: the first index of sorted_ whose top shift_-complement
  // bits are >= b; one entry past the last bucket holds sorted_.size().
  std::vector<std::uint32_t> directory_;
  int shift_ = 64;  // a hash's bucket is hash >> shift_
  absl::flat_hash_set<std::uint64_t> recent_;
};

}  // namespace warmth::core
