#!/usr/bin/env python3
"""Writes the same synthetic job site twice: as Kenshu Content/ and as a Hugo site.

N jobs -> N detail pages + list pages of 20 (paginated), sharing a header/footer partial,
so both generators do the same work: read N records, render N + N/20 pages through templates.
Kenshu reads the jobs from one YAML fixture (its model); Hugo reads one content file per job
(its model: Hugo 0.111 cannot make pages from a data file)."""
import os, sys

def job(i):
    return {
        "number": f"13010-{i:08d}",
        "occupation": ["介護福祉士", "調理補助", "一般事務", "倉庫作業"][i % 4],
        "company": f"株式会社ハローワーク{i % 97}",
        "received": f"2021-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}",
        "wage": f"{180000 + (i % 50) * 1000:,}円~{250000 + (i % 40) * 1000:,}円",
        "location": ["東京都千代田区", "東京都文京区", "神奈川県横浜市", "大阪府大阪市"][i % 4],
        "description": "グループホームにて、ご利用者様に対する生活全般の介護サービスを提供いたします。" * 2,
        "tags": ["経験不問", "学歴不問", "転勤なし", "通勤手当あり"][: (i % 4) + 1],
    }

HEADER = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>{title}</title></head>
<body><header><a href="{root}index.html">HelloWork Internet Service</a><nav><ul>{menu}</ul></nav></header>
"""
FOOTER = """<footer><ul>{links}</ul><p>All rights reserved</p></footer></body></html>
"""
MENU = ["ホーム", "求人検索", "求職活動状況", "メッセージ", "求職者情報・設定"]
LINKS = ["リンク集", "サイトマップ", "サイトポリシー", "プライバシーポリシー", "利用規約"]

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)

def kenshu(root, jobs):
    c = os.path.join(root, "Content")
    write(f"{c}/site.yaml", "title: bench\neditions:\n  - id: site\ncollections:\n  jobs:\n    from: jobs\n    sort: number\n")
    write(f"{c}/fixtures/navigation.yaml",
          "menu: [" + ", ".join(MENU) + "]\nlinks: [" + ", ".join(LINKS) + "]\n")
    lines = []
    for j in jobs:
        lines.append(f"- number: {j['number']}\n  occupation: {j['occupation']}\n  company: {j['company']}\n"
                     f"  received: {j['received']}\n  wage: {j['wage']}\n  location: {j['location']}\n"
                     f"  description: {j['description']}\n  tags: [{', '.join(j['tags'])}]\n")
    write(f"{c}/fixtures/jobs.yaml", "".join(lines))
    menu = "{{#fixtures.navigation.menu}}<li><a href=\"{{root}}index.html\">{{.}}</a></li>{{/fixtures.navigation.menu}}"
    links = "{{#fixtures.navigation.links}}<li><a href=\"{{root}}index.html\">{{.}}</a></li>{{/fixtures.navigation.links}}"
    write(f"{c}/templates/partials/header.mustache", HEADER.format(title="{{page.title}}", root="{{root}}", menu=menu))
    write(f"{c}/templates/partials/footer.mustache", FOOTER.format(links=links))
    card = ("<article><h2><a href=\"{{root}}jobs/{{number}}.html\">{{occupation}}</a></h2><dl><dt>事業所名</dt><dd>{{company}}</dd>"
            "<dt>受付年月日</dt><dd>{{ja(received)}}</dd><dt>賃金</dt><dd>{{wage}}</dd><dt>就業場所</dt><dd>{{location}}</dd></dl>"
            "<ul>{{#tags}}<li>{{.}}</li>{{/tags}}</ul></article>\n")
    write(f"{c}/templates/detail.mustache", "{{> partials/header}}<main>{{#job}}<h1>{{occupation}}</h1><p>求人番号 {{number}}</p>"
          + card + "<p>{{description}}</p>{{/job}}</main>\n{{> partials/footer}}")
    write(f"{c}/templates/list.mustache", "{{> partials/header}}<main><h1>求人一覧</h1><p>全{{pagination.total_items}}件</p>"
          "{{#pagination.items}}" + card + "{{/pagination.items}}<nav>{{#pagination.previous}}<a href=\"{{pagination.previous}}\">前へ</a>{{/pagination.previous}}"
          "{{#pagination.next}}<a href=\"{{pagination.next}}\">次へ</a>{{/pagination.next}}</nav></main>\n{{> partials/footer}}")
    write(f"{c}/pages/jobs/detail.md", "---\ntemplate: detail\ntitle: 求人詳細\neach: jobs\nas: job\npath: jobs/{{job.number}}.html\n---\n")
    write(f"{c}/pages/index.md", "---\ntemplate: list\ntitle: 求人一覧\npaginate: jobs\nper_page: 20\n---\n")

def hugo(root, jobs):
    h = os.path.join(root, "hugo")
    write(f"{h}/config.toml", 'baseURL = "/"\nrelativeURLs = true\nuglyURLs = true\ndisableKinds = ["section", "taxonomy", "term", "RSS", "sitemap", "404", "robotsTXT"]\n'
          'paginate = 20\n[params]\nmenu = ' + str(MENU).replace("'", '"') + '\nlinks = ' + str(LINKS).replace("'", '"') + "\n")
    menu = '{{ range site.Params.menu }}<li><a href="{{ "index.html" | relURL }}">{{ . }}</a></li>{{ end }}'
    links = '{{ range site.Params.links }}<li><a href="{{ "index.html" | relURL }}">{{ . }}</a></li>{{ end }}'
    write(f"{h}/layouts/partials/header.html", HEADER.format(title="{{ .Title }}", root="/", menu=menu).replace('href="/index.html"', 'href="{{ "index.html" | relURL }}"'))
    write(f"{h}/layouts/partials/footer.html", FOOTER.format(links=links))
    card = ('<article><h2><a href="{{ .RelPermalink }}">{{ .Params.occupation }}</a></h2><dl><dt>事業所名</dt><dd>{{ .Params.company }}</dd>'
            '<dt>受付年月日</dt><dd>{{ (time .Params.received).Format "2006年1月2日" }}</dd><dt>賃金</dt><dd>{{ .Params.wage }}</dd><dt>就業場所</dt><dd>{{ .Params.location }}</dd></dl>'
            '<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></article>\n')
    write(f"{h}/layouts/_default/single.html", '{{ partial "header.html" . }}<main><h1>{{ .Params.occupation }}</h1><p>求人番号 {{ .Params.number }}</p>'
          + card + "<p>{{ .Params.description }}</p></main>\n{{ partial \"footer.html\" . }}")
    list_body = ('{{ partial "header.html" . }}<main><h1>求人一覧</h1>{{ $p := .Paginate (where site.RegularPages "Section" "jobs").ByTitle }}'
                 '<p>全{{ $p.TotalNumberOfElements }}件</p>{{ range $p.Pages }}' + card + '{{ end }}'
                 '<nav>{{ if $p.HasPrev }}<a href="{{ $p.Prev.URL }}">前へ</a>{{ end }}{{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">次へ</a>{{ end }}</nav></main>\n{{ partial "footer.html" . }}')
    write(f"{h}/layouts/index.html", list_body)
    for j in jobs:
        tags = ", ".join(f'"{t}"' for t in j["tags"])
        write(f"{h}/content/jobs/{j['number']}.md",
              f'---\ntitle: "{j["number"]}"\nnumber: "{j["number"]}"\noccupation: "{j["occupation"]}"\ncompany: "{j["company"]}"\n'
              f'received: "{j["received"]}"\nwage: "{j["wage"]}"\nlocation: "{j["location"]}"\ndescription: "{j["description"]}"\ntags: [{tags}]\n---\n')

if __name__ == "__main__":
    root, n = sys.argv[1], int(sys.argv[2])
    jobs = [job(i) for i in range(n)]
    kenshu(root, jobs)
    hugo(root, jobs)
