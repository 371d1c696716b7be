/*
 * covers.h: the works' cover pictures, downloaded once into a directory
 * and kept there, so that the showcase and the workspace show them from
 * kepu's own files and never load anything from a platform's servers.
 *
 * A cover is the file `{platform}-{id}.{ext}` in the cover directory:
 *   - id is the post id itself when it is 1 to 80 characters of
 *     [A-Za-z0-9_-] starting with a letter or digit; any other id (platform
 *     text: a '/', '..', a space, a control character, too long) becomes
 *     `_` and the first 32 hex digits of the SHA-256 of the id.  A plain id
 *     never starts with `_`, so the two kinds of name never meet, and no
 *     character of an id outside [A-Za-z0-9_-] reaches the file system;
 *   - ext comes from the picture's first bytes, never from the URL or the
 *     Content-Type: jpg (JPEG), png, webp or gif.  Anything else (an HTML
 *     error page served with 200, an SVG, an empty body) is refused.
 * A work's cover is downloaded when no file of it is there yet (a
 * non-empty regular file `{platform}-{id}.jpg`, .png, .webp or .gif; a
 * symlink there is not one, and the download replaces it), and never
 * again after, even when the work's URL changed.
 *
 * Downloads go through collector/http.c, one connection reused for many:
 * TLS always verified, the proxy from http_proxy/https_proxy, at most
 * COVERS_MAX_BYTES, redirects followed (http and https only), the
 * timeouts and User-Agent of the first configured source of the work's
 * platform, and the Referer the platform's image servers accept
 * (model/platform.h, image_referer).  Files are written through
 * util/afile.h: a temporary file renamed into place, never through a
 * symlink, so a reader never sees half a picture.
 *
 * Messages name the work (`weibo:4890123456789012`) and the URL's host,
 * never its query (signed URLs carry tokens) nor any header's value.
 * Nothing here prints.
 *
 * Not for: deciding which works get covers (the callers: the showcase,
 * the workspace), or serving them.
 */
#ifndef KEPU_COLLECTOR_COVERS_H
#define KEPU_COLLECTOR_COVERS_H

#include <stddef.h>

#include "../config/config.h"
#include "../util/err.h"

#define COVERS_NAME_MAX 128                   /* a cover's file name, with its NUL */
#define COVERS_MAX_BYTES (5u * 1024u * 1024u) /* the largest picture taken */

struct covers;

/* dir: the cover directory (created if missing, mode 0755, and its
 * parents).  cfg: to find each platform's source settings (timeouts, user
 * agent); borrowed, it must outlive c.  NULL on failure with e set.  One
 * covers is for one thread at a time; free with covers_free(). */
struct covers *covers_new(const struct config *cfg, const char *dir, struct kerr *e);
void covers_free(struct covers *c);

/* At most connect_s to connect and total_s for a whole download, whatever
 * the sources say (the workspace: one slow image server must not hold a
 * worker thread for long); 0 leaves that limit as it is. */
void covers_cap_timeouts(struct covers *c, long connect_s, long total_s);

/*
 * The local file name ("weibo-4890123456789012.jpg", no directory) of
 * platform:post_id's cover in name (size COVERS_NAME_MAX), downloading url
 * when no file of that work is there yet.  Returns 1 with name set, 0 when
 * the work has no usable cover (url NULL, empty or not http(s), whatever
 * the directory holds: covers_find() only looks), -1 with e
 * set when the download failed: KERR_IO when no answer came (a network
 * error, a time-out), KERR_DATA when what came is not a picture kepu takes
 * (an HTTP error status, HTML, SVG, too large), KERR_USAGE for a platform
 * kepu does not know.  The caller warns and goes on: never fatal.
 */
int covers_get(struct covers *c, const char *platform, const char *post_id, const char *url,
	       char name[COVERS_NAME_MAX], struct kerr *e);

/* Only look, never fetch: 1 with name set when dir already holds
 * platform:post_id's cover, else 0. */
int covers_find(const char *dir, const char *platform, const char *post_id, char name[COVERS_NAME_MAX]);

/* Copy the cover file name from the directory from into to (created if
 * missing), through util/afile.h; a symlink or anything but a regular
 * file of at most COVERS_MAX_BYTES at from is not copied.  0, or -1 with e
 * set.  (The workspace keeps its cache private and publishes only the
 * featured works' covers.) */
int covers_copy(const char *from, const char *to, const char *name, struct kerr *e);

/* Remove from dir every cover file (a known platform's name, '-', a
 * picture's extension) whose name is not among keep[0..nkeep) (NULL
 * entries ignored): the covers of works no longer shown must not stay
 * published at a guessable name.  Nothing else in dir is touched.
 * *removed counts them.  0, or -1 with e set when dir cannot be read. */
int covers_prune(const char *dir, char *const *keep, size_t nkeep, size_t *removed, struct kerr *e);

/* Whether url is one covers_get() would try (http or https, a host). */
int covers_url_usable(const char *url);

/* The host of an http(s) URL (no user, no port, no path or query) into
 * host, for messages; "?" when there is none. */
void covers_url_host(const char *url, char *host, size_t size);

/* The MIME type of a cover's file name by its extension ("image/jpeg"),
 * or NULL for a name covers never gives. */
const char *covers_mime_type(const char *name);

#endif
