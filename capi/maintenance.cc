// C ABI: store-wide fsck, gc, export and import (JSON Lines and bundles).
#include "capi_internal.h"

using namespace gitmem::capi;

namespace {

int ToFsckOptions(const gitmem_fsck_options* in, gitmem::FsckOptions* o) {
  GITMEM_OPTIONS_IN(in, GITMEM_FSCK_OPTIONS_VERSION, "fsck_options");
  o->all_objects = in->all_objects != 0;
  o->progress = ToProgress(in->progress, in->progress_payload);
  return GITMEM_OK;
}

int ToExportOptions(const gitmem_export_options* in, gitmem::ExportOptions* o) {
  GITMEM_OPTIONS_IN(in, GITMEM_EXPORT_OPTIONS_VERSION, "export_options");
  o->rev = Str(in->rev);
  o->progress = ToProgress(in->progress, in->progress_payload);
  return GITMEM_OK;
}

int ToImportOptions(const gitmem_import_options* in, gitmem::ImportOptions* o) {
  GITMEM_OPTIONS_IN(in, GITMEM_IMPORT_OPTIONS_VERSION, "import_options");
  o->branch = Str(in->branch);
  o->message = Str(in->message);
  o->author = Str(in->author);
  o->force = in->force != 0;
  o->progress = ToProgress(in->progress, in->progress_payload);
  return GITMEM_OK;
}

int CheckPath(const char* path) {
  GITMEM_REQUIRE(path, "path");
  if (*path == '\0') return Invalid("path: must not be empty");
  return GITMEM_OK;
}

using ExportFn = gitmem::Result<uint64_t> (gitmem::Repository::*)(std::string_view, const gitmem::ExportOptions&) const;
using ImportFn = gitmem::Result<gitmem::ImportReport> (gitmem::Repository::*)(std::string_view,
                                                                              const gitmem::ImportOptions&);

int RunExport(ExportFn fn, uint64_t* out_count, gitmem_repo* repo, const char* path,
              const gitmem_export_options* opts) {
  if (out_count) *out_count = 0;
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_RETURN_IF_NOT_OK(CheckPath(path));
  gitmem::ExportOptions o;
  GITMEM_RETURN_IF_NOT_OK(ToExportOptions(opts, &o));
  return Store(((*repo->repo).*fn)(path, o), [&](uint64_t n) {
    if (out_count) *out_count = n;
  });
}

int RunImport(ImportFn fn, gitmem_import_report* out, gitmem_repo* repo, const char* path,
              const gitmem_import_options* opts) {
  if (out) {
    GITMEM_RETURN_IF_NOT_OK(CheckVersion(out->version, GITMEM_IMPORT_REPORT_VERSION, "import_report"));
  }
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_RETURN_IF_NOT_OK(CheckPath(path));
  gitmem::ImportOptions o;
  GITMEM_RETURN_IF_NOT_OK(ToImportOptions(opts, &o));
  auto r = ((*repo->repo).*fn)(path, o);
  if (!r.ok()) return FromStatus(r.status());
  if (out) {
    out->memories = r->memories;
    out->objects = r->objects;
    out->refs = r->refs;
    if (r->commit.is_zero())
      out->commit[0] = '\0';
    else
      CopyHex(out->commit, r->commit);
  }
  return GITMEM_OK;
}

}  // namespace

extern "C" {

GITMEM_DEFINE_OPTIONS_INIT(fsck_options, GITMEM_FSCK_OPTIONS_VERSION, GITMEM_FSCK_OPTIONS_INIT)

int gitmem_fsck_store(gitmem_fsck** out, const char* path, const gitmem_fsck_options* opts) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE_OUT(out);
  GITMEM_RETURN_IF_NOT_OK(CheckPath(path));
  gitmem::FsckOptions o;
  GITMEM_RETURN_IF_NOT_OK(ToFsckOptions(opts, &o));
  return Deliver(out, gitmem::Repository::FsckStore(path, o));
  GITMEM_CAPI_CATCH
}

int gitmem_fsck_all(gitmem_fsck** out, gitmem_repo* repo, const gitmem_fsck_options* opts) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE_OUT_REPO(out, repo);
  gitmem::FsckOptions o;
  GITMEM_RETURN_IF_NOT_OK(ToFsckOptions(opts, &o));
  return Deliver(out, repo->repo->FsckAll(o));
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_OPTIONS_INIT(gc_options, GITMEM_GC_OPTIONS_VERSION, GITMEM_GC_OPTIONS_INIT)

int gitmem_gc(gitmem_gc_report* out, gitmem_repo* repo, const gitmem_gc_options* opts) {
  GITMEM_CAPI_TRY
  if (out) {
    GITMEM_RETURN_IF_NOT_OK(CheckVersion(out->version, GITMEM_GC_REPORT_VERSION, "gc_report"));
  }
  GITMEM_REQUIRE(repo, "repo");
  gitmem::GcOptions o;
  if (opts) {
    GITMEM_RETURN_IF_NOT_OK(CheckVersion(opts->version, GITMEM_GC_OPTIONS_VERSION, "gc_options"));
    o.dry_run = opts->dry_run != 0;
    o.progress = ToProgress(opts->progress, opts->progress_payload);
  }
  auto r = repo->repo->Gc(o);
  if (!r.ok()) return FromStatus(r.status());
  if (out) {
    out->objects_scanned = r->objects_scanned;
    out->objects_reachable = r->objects_reachable;
    out->objects_freed = r->objects_freed;
    out->bytes_freed = r->bytes_freed;
    out->session_entries_freed = r->session_entries_freed;
    if (out->version >= 2) {
      out->index_snapshots_freed = r->index_snapshots_freed;
      out->vectors_freed = r->vectors_freed;
      out->index_bytes_freed = r->index_bytes_freed;
    }
  }
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_OPTIONS_INIT(export_options, GITMEM_EXPORT_OPTIONS_VERSION, GITMEM_EXPORT_OPTIONS_INIT)

GITMEM_DEFINE_OPTIONS_INIT(import_options, GITMEM_IMPORT_OPTIONS_VERSION, GITMEM_IMPORT_OPTIONS_INIT)

// Export and import of one format: JSON Lines (jsonl) or bundles (bundle).
#define GITMEM_TRANSFER(format, Format)                                                      \
  int gitmem_export_##format(uint64_t* out_count, gitmem_repo* repo, const char* path,       \
                             const gitmem_export_options* opts) {                            \
    GITMEM_CAPI_TRY                                                                          \
    return RunExport(&gitmem::Repository::Export##Format, out_count, repo, path, opts);      \
    GITMEM_CAPI_CATCH                                                                        \
  }                                                                                          \
  int gitmem_import_##format(gitmem_import_report* out, gitmem_repo* repo, const char* path, \
                             const gitmem_import_options* opts) {                            \
    GITMEM_CAPI_TRY                                                                          \
    return RunImport(&gitmem::Repository::Import##Format, out, repo, path, opts);            \
    GITMEM_CAPI_CATCH                                                                        \
  }
GITMEM_TRANSFER(jsonl, Jsonl)
GITMEM_TRANSFER(bundle, Bundle)
#undef GITMEM_TRANSFER

}  // extern "C"
