#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace herd {

/// A double-ended FIFO queue in one growing ring buffer: unlike `std::deque`, whose chunks hold
/// only two or three large elements (such as tasks), pushing and popping allocate nothing once
/// the ring is large enough. A popped slot is reset to `T{}`, so it holds no resources.
template <class T>
class ring_queue {
public:
  /// True if it holds nothing.
  bool empty() const { return size_ == 0; }
  /// How many elements it holds.
  size_t size() const { return size_; }
  /// The `i`-th element from the front.
  T& operator[](size_t i) { return slots_[(head_ + i) & (slots_.size() - 1)]; }
  /// The first element; the queue must not be empty.
  T& front() { return slots_[head_]; }
  /// Appends a copy of `x` at the back.
  void push_back(const T& x) { push_back(T{x}); }
  /// Appends `x` at the back.
  void push_back(T&& x) {
    grow_if_full();
    (*this)[size_++] = std::move(x);
  }
  /// Inserts a copy of `x` at the front.
  void push_front(const T& x) { push_front(T{x}); }
  /// Inserts `x` at the front.
  void push_front(T&& x) {
    grow_if_full();
    head_ = (head_ + slots_.size() - 1) & (slots_.size() - 1);
    slots_[head_] = std::move(x);
    ++size_;
  }
  /// Removes the first element; the queue must not be empty.
  void pop_front() {
    slots_[head_] = T{};
    head_ = (head_ + 1) & (slots_.size() - 1);
    --size_;
  }
  /// Makes room for `n` elements in all, so that many pushes move nothing.
  void reserve(size_t n) {
    size_t capacity = slots_.empty() ? 16 : slots_.size();
    while (capacity < n)
      capacity *= 2;
    if (capacity > slots_.size())
      regrow(capacity);
  }
  /// Removes every element.
  void clear() {
    while (!empty())
      pop_front();
  }

private:
  void grow_if_full() {
    if (size_ < slots_.size())
      return;
    regrow(slots_.empty() ? 16 : slots_.size() * 2);
  }

  void regrow(size_t capacity) {
    std::vector<T> bigger(capacity);
    for (size_t i = 0; i < size_; ++i)
      bigger[i] = std::move((*this)[i]);
    slots_ = std::move(bigger);
    head_ = 0;
  }

  std::vector<T> slots_; // a power of two
  size_t head_ = 0;
  size_t size_ = 0;
};

} // namespace herd
