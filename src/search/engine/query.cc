// SearchEngine's queries: option checks, vector / keyword ranking with filtering and
// paging, reciprocal rank fusion for hybrid search, and index statistics.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <limits>
#include <mutex>
#include <unordered_map>

#include "search/engine/search_engine.h"
#include "search/fusion.h"

namespace gitmem::search {

namespace {

struct Candidate {
  uint64_t doc;
  double score;
};

// Resolves doc numbers to memories of the searched tree and applies the filter, caching
// what it resolved (a retry with a bigger fetch sees the same docs again). Without a
// filter a candidate needs only its id: records are loaded for the hits returned, not for
// every candidate a ranking looked at. Safe to use from the two rankings of a hybrid
// search at once.
class Resolver {
 public:
  Resolver(const RepoReader* repo, SearchEngine* engine, const tree::NodeSource* src, ObjectId tree,
           const CompiledFilter* filter)
      : repo_(repo), engine_(engine), src_(src), tree_(tree), filter_(filter) {}

  /// True when `doc` is in the tree and passes the filter.
  Result<bool> Accept(uint64_t doc) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = seen_.find(doc);
      if (it != seen_.end()) return it->second.ok;
    }
    Entry e;
    GITMEM_ASSIGN_OR_RETURN(e.id, engine_->IdOf(doc));
    if (filter_->empty()) {
      e.ok = true;  // the index state is exactly the searched tree's
    } else {
      GITMEM_ASSIGN_OR_RETURN(e.memory, Load(e.id));
      e.ok = e.memory && filter_->Matches(*e.memory);
    }
    const bool ok = e.ok;
    std::lock_guard<std::mutex> lock(mu_);
    seen_.emplace(doc, std::move(e));
    return ok;
  }
  /// REQUIRES: Accept(doc) returned true.
  Result<SearchHit> Hit(uint64_t doc, double score, bool with_memory) {
    SearchHit h;
    std::optional<Memory> memory;
    {
      std::lock_guard<std::mutex> lock(mu_);
      const Entry& e = seen_.at(doc);
      h.id = e.id;
      if (with_memory) memory = e.memory;
    }
    h.score = score;
    if (with_memory && !memory) {
      GITMEM_ASSIGN_OR_RETURN(memory, Load(h.id));
    }
    h.memory = std::move(memory);
    return h;
  }

 private:
  struct Entry {
    std::string id;
    bool ok = false;
    std::optional<Memory> memory;  // loaded when the filter needed it
  };
  Result<std::optional<Memory>> Load(const std::string& id) const {
    GITMEM_ASSIGN_OR_RETURN(auto blob, tree::Lookup(*src_, tree_, id));
    if (!blob) return std::optional<Memory>();
    GITMEM_ASSIGN_OR_RETURN(Memory m, repo_->LoadBlob(*blob));
    return std::optional<Memory>(std::move(m));
  }
  const RepoReader* repo_;
  SearchEngine* engine_;
  const tree::NodeSource* src_;
  ObjectId tree_;
  const CompiledFilter* filter_;
  std::mutex mu_;
  std::unordered_map<uint64_t, Entry> seen_;
};

// The first `need` accepted hits of a ranking, asking the index for more (x4 each time)
// until enough pass the filter or the index has nothing more.
template <class SearchFn>
Result<std::vector<Candidate>> Ranked(size_t need, size_t index_size, bool filtered, Resolver* resolver,
                                      SearchFn&& search) {
  std::vector<Candidate> out;
  if (need == 0 || index_size == 0) return out;
  size_t fetch = filtered ? std::min(index_size, need * 2 + 16) : std::min(index_size, need);
  for (;;) {
    const int kk = static_cast<int>(std::min<size_t>(fetch, std::numeric_limits<int>::max()));
    GITMEM_ASSIGN_OR_RETURN(auto hits, search(kk));
    out.clear();
    for (const auto& h : hits) {
      GITMEM_ASSIGN_OR_RETURN(bool ok, resolver->Accept(h.doc));
      if (!ok) continue;
      out.push_back({h.doc, static_cast<double>(h.score)});
      if (out.size() == need) break;
    }
    if (out.size() >= need || hits.size() < static_cast<size_t>(kk) || fetch >= index_size) break;
    fetch = std::min(index_size, fetch * 4);
  }
  return out;
}

}  // namespace

Result<CompiledFilter> SearchEngine::CheckQuery(const SearchOptions& o) {
  if (o.k <= 0) return Status::InvalidArgument(fmt::format("k: must be positive, got {}", o.k));
  if (o.k > 100000) return Status::InvalidArgument(fmt::format("k: {} exceeds the limit of 100000", o.k));
  if (o.offset > 1000000) return Status::InvalidArgument("offset: exceeds the limit of 1000000");
  if (o.mode != SearchMode::kVector && o.mode != SearchMode::kKeyword && o.mode != SearchMode::kHybrid)
    return Status::InvalidArgument("mode: unknown search mode");
  const bool want_kw = o.mode != SearchMode::kVector;
  if (want_kw && o.query.empty()) return Status::InvalidArgument("query: required for keyword and hybrid search");
  if (o.mode == SearchMode::kVector && o.query.empty() && o.query_vector.empty())
    return Status::InvalidArgument("query: vector search needs query text or query_vector");
  if (o.query.size() > 64 * 1024) return Status::InvalidArgument("query: exceeds the limit of 65536 bytes");
  if (o.mode == SearchMode::kHybrid) {
    if (!(o.rrf_k > 0) || !std::isfinite(o.rrf_k)) return Status::InvalidArgument("rrf_k: must be positive and finite");
    if (!(o.vector_weight >= 0) || !std::isfinite(o.vector_weight))
      return Status::InvalidArgument("vector_weight: must be finite and >= 0");
    if (!(o.keyword_weight >= 0) || !std::isfinite(o.keyword_weight))
      return Status::InvalidArgument("keyword_weight: must be finite and >= 0");
  }
  return CompiledFilter::Compile(o.filter);
}

Result<std::vector<SearchHit>> SearchEngine::Search(const SearchOptions& o, const CompiledFilter& filter) {
  const bool want_vec = o.mode != SearchMode::kKeyword;

  std::vector<float> qvec;
  if (want_vec) {
    if (!o.query_vector.empty()) {
      GITMEM_RETURN_IF_ERROR(index::ValidateVector(o.query_vector, dim_, "query_vector", true));
      qvec = o.query_vector;
    } else {
      qvec.resize(dim_);
      std::string_view text = o.query;
      GITMEM_RETURN_IF_ERROR(embedder().Embed(std::span<const std::string_view>(&text, 1), qvec));
      if (std::all_of(qvec.begin(), qvec.end(), [](float x) { return x == 0.0f; })) {
        if (o.mode == SearchMode::kVector) return std::vector<SearchHit>();
        qvec.clear();  // hybrid: keyword ranking alone
      }
    }
  }

  auto snap = repo_->store().GetSnapshot();
  tree::OverlaySource overlay(&repo_->nodes());
  auto resolved = repo_->Resolve(o.at, &overlay, snap.get());
  if (!resolved.ok()) {
    // An unborn HEAD (no commit yet) has nothing to search.
    if (resolved.status().IsNotFound() && o.at.rev.empty() && !o.at.as_of_us) return std::vector<SearchHit>();
    return std::move(resolved).status();
  }
  const ReadTarget st = std::move(resolved).value();
  GITMEM_ASSIGN_OR_RETURN(IndexStatePtr state, StateFor(st, overlay));

  const size_t want = static_cast<size_t>(o.offset) + static_cast<size_t>(o.k);
  Resolver resolver(repo_.get(), this, &overlay, st.tree, &filter);
  const bool filtered = !o.filter.empty();
  auto vec_rank = [&](size_t need) -> Result<std::vector<Candidate>> {
    if (qvec.empty()) return std::vector<Candidate>();
    return Ranked(need, state->vec.size(), filtered, &resolver,
                  [&](int kk) { return state->vec.Search(qvec, kk, ef_search()); });
  };
  auto kw_rank = [&](size_t need) -> Result<std::vector<Candidate>> {
    return Ranked(need, state->kw.size(), filtered, &resolver, [&](int kk) { return state->kw.Search(o.query, kk); });
  };

  std::vector<Candidate> ranked;
  if (o.mode == SearchMode::kVector) {
    GITMEM_ASSIGN_OR_RETURN(ranked, vec_rank(want));
  } else if (o.mode == SearchMode::kKeyword) {
    GITMEM_ASSIGN_OR_RETURN(ranked, kw_rank(want));
  } else {
    const size_t depth = o.candidates ? std::max(o.candidates, want) : std::max<size_t>(2 * want, 50);
    // Both rankings at once, so hybrid costs about what its slower part costs.
    auto keyword = std::async(std::launch::async, [&] { return kw_rank(depth); });
    auto vector = vec_rank(depth);
    auto keyword_ranked = keyword.get();
    GITMEM_ASSIGN_OR_RETURN(auto vl, std::move(vector));
    GITMEM_ASSIGN_OR_RETURN(auto kl, std::move(keyword_ranked));
    std::vector<std::vector<uint64_t>> lists(2);
    for (auto& c : vl) lists[0].push_back(c.doc);
    for (auto& c : kl) lists[1].push_back(c.doc);
    RrfOptions ro;
    ro.k = o.rrf_k;
    ro.weights = {o.vector_weight, o.keyword_weight};
    ro.limit = want;
    GITMEM_ASSIGN_OR_RETURN(auto fused, FuseRrf(lists, ro));
    for (auto& f : fused) ranked.push_back({f.doc, f.score});
  }
  std::vector<SearchHit> out;
  for (size_t i = static_cast<size_t>(std::min<uint64_t>(o.offset, ranked.size()));
       i < ranked.size() && out.size() < static_cast<size_t>(o.k); ++i) {
    GITMEM_ASSIGN_OR_RETURN(SearchHit hit, resolver.Hit(ranked[i].doc, ranked[i].score, o.include_memories));
    out.push_back(std::move(hit));
  }
  return out;
}

Result<SearchIndexInfo> SearchEngine::Info(const ReadOptions& at) {
  auto snap = repo_->store().GetSnapshot();
  tree::OverlaySource overlay(&repo_->nodes());
  GITMEM_ASSIGN_OR_RETURN(ReadTarget st, repo_->Resolve(at, &overlay, snap.get()));
  GITMEM_ASSIGN_OR_RETURN(IndexStatePtr state, StateFor(st, overlay));
  SearchIndexInfo info;
  info.commit = state->commit;
  info.tree = state->tree;
  info.documents = state->kw.size();
  info.vector_segments = state->vec.segments().size();
  info.keyword_segments = state->kw.segments().size();
  info.vector_delta = state->vec.delta_size();
  info.keyword_delta = state->kw.delta_size();
  info.source = state->source;
  info.changes_applied = state->changes_applied;
  info.vectors_awaiting_graph = state->vec.VectorsAwaitingGraph();
  info.indexing = Indexing();
  return info;
}

}  // namespace gitmem::search
