#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herd {

/// A set of string ids, each with a small integer handle, for tables of many short-lived and
/// completed task ids: open addressing with linear probing over 8-byte slots (a 32-bit hash tag
/// and the handle), so a lookup of an absent id reads one cache line of slots and no key.
/// Handles of erased ids are reused; the owner keeps its per-id data in arrays indexed by handle
/// (below `handle_bound()`).
class id_index {
public:
  /// The handle that `find` returns for an absent id.
  static constexpr uint32_t npos = UINT32_MAX;

  /// The handle of `id`, or `npos`.
  uint32_t find(std::string_view id) const;
  /// Starts loading the slot where a lookup of `id` begins, so a later `find` or `insert` of it
  /// waits less for memory.
  void prefetch(std::string_view id) const;
  /// The handle of `id`, and true if `id` was added (false if it was there).
  std::pair<uint32_t, bool> insert(std::string_view id);
  /// Removes the id with handle `handle` (which must be in use); a later insert may reuse it.
  void erase(uint32_t handle);
  /// The id with handle `handle`.
  const std::string& id(uint32_t handle) const { return keys_[handle].id; }
  /// How many ids it holds.
  size_t size() const { return size_; }
  /// Every handle in use is below this bound.
  uint32_t handle_bound() const { return static_cast<uint32_t>(keys_.size()); }
  /// Makes room for `n` ids without growing.
  void reserve(size_t n);

private:
  struct slot {
    uint32_t tag;
    uint32_t handle; // npos: empty
  };

  struct key {
    std::string id;
    uint32_t tag;
  };

  static uint32_t tag_of(std::string_view id);
  size_t probe(uint32_t tag, uint32_t handle) const;
  void place(uint32_t tag, uint32_t handle);
  void rehash(size_t slots);

  std::vector<slot> slots_; // a power of two, at most half full
  std::vector<key> keys_;   // by handle
  std::vector<uint32_t> free_handles_;
  size_t size_ = 0;
};

} // namespace herd
