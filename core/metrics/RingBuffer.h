#pragma once
// A fixed-capacity ring buffer: memory is allocated once; pushing beyond capacity overwrites the oldest.
// Not thread-safe by itself: the owner guards it.
#include <cstddef>
#include <vector>

namespace kcl {

template <typename T>
class RingBuffer {
public:
    explicit RingBuffer(std::size_t capacity) : m_data(capacity ? capacity : 1) {}
    void push(const T &v)
    {
        m_data[m_head] = v;
        m_head = (m_head + 1) % m_data.size();
        if (m_size < m_data.size())
            ++m_size;
    }
    std::size_t size() const { return m_size; }
    std::size_t capacity() const { return m_data.size(); }
    bool empty() const { return m_size == 0; }
    // i = 0 is the oldest element.
    const T &at(std::size_t i) const { return m_data[(m_head + m_data.size() - m_size + i) % m_data.size()]; }
    const T &back() const { return at(m_size - 1); }
    std::vector<T> toVector() const
    {
        std::vector<T> out;
        out.reserve(m_size);
        for (std::size_t i = 0; i < m_size; ++i)
            out.push_back(at(i));
        return out;
    }
    void clear() { m_size = 0; m_head = 0; }

private:
    std::vector<T> m_data;
    std::size_t m_head = 0;
    std::size_t m_size = 0;
};

} // namespace kcl
