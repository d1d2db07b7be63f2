// A ledger Storage that forwards every call to another, for tests and
// benchmarks that wrap the real store to count, time or fail some calls.
// Override only what you need.
//
// Thread-safety: as the wrapped storage.
#pragma once

#include <memory>

#include "ledger/storage.h"

namespace pathbridge::testing {

class ForwardingStorage : public ledger::Storage {
 public:
  explicit ForwardingStorage(std::unique_ptr<ledger::Storage> inner) : inner_(std::move(inner)) {}

  Result<std::optional<std::string>> GetMeta(const std::string& key) override {
    return inner_->GetMeta(key);
  }
  Status PutMeta(const std::string& key, const std::string& value) override {
    return inner_->PutMeta(key, value);
  }
  Result<uint64_t> TreeSize() override { return inner_->TreeSize(); }
  Status ReadTileInto(uint8_t level, uint64_t index, ledger::FatTile& out) override {
    return inner_->ReadTileInto(level, index, out);
  }
  Result<Bytes> ReadBundle(uint64_t index) override { return inner_->ReadBundle(index); }
  Result<Bytes> ReadEntry(uint64_t index) override { return inner_->ReadEntry(index); }
  Result<std::optional<uint64_t>> FindIdentity(ByteSpan key) override {
    return inner_->FindIdentity(key);
  }
  Result<std::optional<ledger::StoredCheckpoint>> LatestCheckpoint() override {
    return inner_->LatestCheckpoint();
  }
  Status ForEachCheckpoint(
      const std::function<Status(const ledger::StoredCheckpoint&)>& fn) override {
    return inner_->ForEachCheckpoint(fn);
  }
  Status Commit(const ledger::StorageBatch& batch) override { return inner_->Commit(batch); }

 private:
  std::unique_ptr<ledger::Storage> inner_;
};

}  // namespace pathbridge::testing
