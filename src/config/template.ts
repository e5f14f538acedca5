/**
 * DEFAULT_CONFIG_YAML is what `newsmirror init` writes: the sources of the system newsmirror
 * continues (feedx.net full-text mirrors, RFA and China Digital Times), every key commented.
 */
export const DEFAULT_CONFIG_YAML = `# newsmirror configuration. Every command reads it (--config FILE, default ./newsmirror.yaml).
# Relative paths are resolved against the folder of this file.

# The archive: a folder of article files in the seed format, lists and media; made a git repository.
archive: ./archive

# The store: an SQLite file (embedded, no service to start), or a PostgreSQL server for several
# machines: postgres://user:password@host:5432/database (add ?schema=NAME to use a schema of its own).
database: ./newsmirror.db

# Dates in file names and lists are shown in this IANA time zone.
timezone: Asia/Shanghai

network:
  # Sent with every request; names newsmirror so publishers can reach us.
  userAgent: "newsmirror/0.1 (+https://github.com/newsmirror/newsmirror)"
  # An HTTP(S) proxy (http://host:port); HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured too.
  # proxy: http://127.0.0.1:8118
  timeoutSeconds: 30
  # Requests in flight at once, and per host.
  concurrency: 8
  perHost: 2
  # Private, loopback and link-local addresses are refused unless this is true.
  allowPrivateNetworks: false
  # Largest body accepted, in bytes.
  maxBytes: 20000000

# Article images are downloaded into the archive (media/<xx>/<sha256>.<ext>) so the archive reads
# offline and behind a firewall. dir: another folder (e.g. a second git repository) keeps a text-only
# clone small; linkBase: how article files reach that folder (a relative path or a URL prefix).
media:
  enabled: true
  # dir: ../news-media
  # linkBase: ../news-media
  maxImageBytes: 10485760
  maxArticleBytes: 52428800
  # Images never hold the text back: article files are written first, images are fetched at the end
  # of the run for at most drainSeconds; a host that times out breakerFailures times in a row is left
  # for a later run. What is missing keeps its original URL and is retried with backoff.
  timeoutSeconds: 10
  breakerFailures: 3
  drainSeconds: 30

# Caps that keep one bad item small: a longer title is cut with an ellipsis, a feed's items beyond
# itemsPerFeed (the oldest) are left out; both with a warning in the report, never a failure.
limits:
  titleChars: 1000
  itemsPerFeed: 5000

# newsmirror run: how often sources are checked (it adapts to each source's rhythm, honours
# Retry-After, Cache-Control max-age and RSS ttl, and backs off on failures), and the web reader.
schedule:
  minIntervalMinutes: 10
  maxIntervalMinutes: 1440
  tickSeconds: 30
server:
  enabled: true
  host: 127.0.0.1
  port: 8080
  # publicBaseUrl: https://news.example.org

# Git remotes the archive is pushed to (several, so one suspended host loses nothing).
remotes: []
#  - name: github
#    url: git@github.com:you/news-archive.git
#  - name: codeberg
#    url: https://codeberg.org/you/news-archive.git

author:
  name: newsmirror
  email: newsmirror@localhost

# Re-checks of archived pages: edits become versions, removals at the source are confirmed by two
# gone checks confirmHours apart (per-source overrides under recheck.sources).
# recheck:
#   schedule: [1h, 6h, 24h, 3d, 7d, 30d]
#   confirmHours: 6

# publish and run also export the static site and push it to this branch of every remote (never forced).
# site:
#   branch: gh-pages
#   dir: ./site

# With a postgres:// database: how long a worker's claim on a source lasts, how often idle roles poll.
# workers:
#   leaseSeconds: 300
#   pollSeconds: 5

# The source catalog. id: a stable ASCII slug used in paths and URLs; never change it.
# Optional per source: encoding (override), guidPolicy (auto | url | guid),
# fulltext (feed | page | auto), intervalMinutes, referer (for hotlink-protected images), enabled.
sources:
  - id: rfi
    name: 法广 RFI
    url: https://feedx.net/rss/rfi.xml
  - id: bbc
    name: BBC 中文
    url: https://feedx.net/rss/bbc.xml
  - id: voa
    name: 美国之音 VOA
    url: https://feedx.net/rss/mgzy1.xml
  - id: dw
    name: 德国之声 DW
    url: https://feedx.net/rss/dw.xml
  - id: nytimes
    name: 纽约时报 NYT
    url: https://feedx.net/rss/nytimes.xml
  - id: reuters
    name: 路透 Reuters
    url: https://feedx.net/rss/reuters.xml
  - id: ft
    name: 金融时报 FT
    url: https://feedx.net/rss/ft.xml
  - id: rfa
    name: 自由亚洲电台 RFA
    url: https://www.rfa.org/mandarin/yataibaodao/rss2.xml
  - id: cdt
    name: 中国数字时代 CDT
    url: https://chinadigitaltimes.net/chinese/feed/
`;
