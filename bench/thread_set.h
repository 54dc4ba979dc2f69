// The threads a load run addresses: one named thread, or `count` threads
// named prefix + 0 .. prefix + (count - 1), from which every call picks at
// random, so that a read workload looks like a site's rather than one hot
// page's. bench/run.sh seeds the same names by SQL.
#ifndef COMMENTS_BENCH_THREAD_SET_H_
#define COMMENTS_BENCH_THREAD_SET_H_

#include <random>
#include <string>
#include <vector>

namespace comments::bench {

class ThreadSet {
 public:
  static ThreadSet Single(std::string thread);
  // `count` >= 1.
  static ThreadSet Numbered(std::string prefix, int count);

  int size() const { return count_; }
  // The thread slug of index 0 <= i < size().
  std::string Name(int i) const;
  // One thread, uniformly at random.
  std::string Pick(std::mt19937_64& random) const;
  // `n` threads at random: distinct while n <= size(), as a page asking
  // for the counts of its article list would; with repeats beyond.
  std::vector<std::string> Sample(int n, std::mt19937_64& random) const;

 private:
  ThreadSet(std::string prefix, int count, bool numbered)
      : prefix_(std::move(prefix)), count_(count), numbered_(numbered) {}

  std::string prefix_;
  int count_;
  bool numbered_;
};

}  // namespace comments::bench

#endif  // COMMENTS_BENCH_THREAD_SET_H_
