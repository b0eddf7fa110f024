#include "dispatch/id_index.hpp"

#include <functional>

namespace herd {

uint32_t id_index::tag_of(std::string_view id) {
  auto h = static_cast<uint64_t>(std::hash<std::string_view>{}(id));
  return static_cast<uint32_t>(h ^ (h >> 32));
}

uint32_t id_index::find(std::string_view id) const {
  if (size_ == 0)
    return npos;
  auto tag = tag_of(id);
  auto mask = slots_.size() - 1;
  for (auto i = tag & mask;; i = (i + 1) & mask) {
    auto& s = slots_[i];
    if (s.handle == npos)
      return npos;
    if (s.tag == tag && keys_[s.handle].id == id)
      return s.handle;
  }
}

void id_index::prefetch(std::string_view id) const {
  if (!slots_.empty())
    __builtin_prefetch(&slots_[tag_of(id) & (slots_.size() - 1)]);
}

std::pair<uint32_t, bool> id_index::insert(std::string_view id) {
  if ((size_ + 1) * 2 > slots_.size())
    rehash(slots_.empty() ? 16 : slots_.size() * 2);
  auto tag = tag_of(id);
  auto mask = slots_.size() - 1;
  auto i = tag & mask;
  for (; slots_[i].handle != npos; i = (i + 1) & mask)
    if (slots_[i].tag == tag && keys_[slots_[i].handle].id == id)
      return {slots_[i].handle, false};
  uint32_t handle;
  if (free_handles_.empty()) {
    handle = static_cast<uint32_t>(keys_.size());
    keys_.push_back(key{std::string{id}, tag});
  } else {
    handle = free_handles_.back();
    free_handles_.pop_back();
    keys_[handle].id.assign(id.data(), id.size());
    keys_[handle].tag = tag;
  }
  slots_[i] = slot{tag, handle};
  ++size_;
  return {handle, true};
}

size_t id_index::probe(uint32_t tag, uint32_t handle) const {
  auto mask = slots_.size() - 1;
  auto i = tag & mask;
  while (slots_[i].handle != handle)
    i = (i + 1) & mask;
  return i;
}

void id_index::erase(uint32_t handle) {
  // Backward-shift deletion: later entries of the probe run move up, so no tombstones.
  auto mask = slots_.size() - 1;
  auto hole = probe(keys_[handle].tag, handle);
  for (auto j = (hole + 1) & mask; slots_[j].handle != npos; j = (j + 1) & mask) {
    auto home = slots_[j].tag & mask;
    // Move the entry at j into the hole unless its home lies cyclically in (hole, j].
    if (((j - home) & mask) >= ((j - hole) & mask)) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole].handle = npos;
  keys_[handle].id.clear();
  free_handles_.push_back(handle);
  --size_;
}

void id_index::reserve(size_t n) {
  size_t slots = 16;
  while (slots < n * 2)
    slots *= 2;
  if (slots > slots_.size())
    rehash(slots);
  keys_.reserve(n);
}

void id_index::place(uint32_t tag, uint32_t handle) {
  auto mask = slots_.size() - 1;
  auto i = tag & mask;
  while (slots_[i].handle != npos)
    i = (i + 1) & mask;
  slots_[i] = slot{tag, handle};
}

void id_index::rehash(size_t slots) {
  auto old = std::move(slots_);
  slots_.assign(slots, slot{0, npos});
  for (auto& s : old)
    if (s.handle != npos)
      place(s.tag, s.handle);
}

} // namespace herd
