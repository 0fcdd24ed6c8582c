"""One language at a time on the pages: Chinese by default, English when the reader switches.

Templates write `t('Search')`: the message id is the English text and `CATALOGUE` gives its Chinese,
so a page reads in one language and an unknown id fails loudly (KeyError naming it) instead of
showing half a translation. Names of classes, relations, statuses and values come from the
vocabulary table (`schema.vocabulary`), other properties from the ontology's own `rdfs:label`s:
the catalogue holds only the pages' own words.

The choice is a cookie set by `GET /lang?to=en&back=/path` (`switch`): a plain link, no script
(the CSP forbids inline script), remembered across pages and reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import Query
from fastapi.responses import RedirectResponse
from jinja2 import pass_context
from markupsafe import Markup, escape
from starlette.requests import Request

from policekg.api.errors import BadRequest
from policekg.kg.rdf.iris import PREFIXES
from policekg.schema import ONTOLOGY
from policekg.schema.vocabulary import ENTITY_CLASSES, RELATIONS, REPORT_PARTS, STATUSES, VALUE_SETS

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
COOKIE = "lang"
#: How the switch names each language: in that language, as every site's language menu does.
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
_YEAR = 365 * 24 * 3600

#: English message id → Chinese. Placeholders `{name}` are filled by `t(msgid, name=…)`.
CATALOGUE: dict[str, str] = {
    # the frame of every page
    "A knowledge graph of police rule-of-law reports": "公安机关法治政府建设年度报告知识图谱",
    "Search": "搜索", "Reports": "报告", "Compare": "比较", "Graph": "图谱", "Export": "导出",
    "Home": "首页", "Language": "语言", "search": "搜索", "search text": "搜索内容", "Page {page} of {pages} · {total} rows":
    "第 {page} / {pages} 页 · 共 {total} 条", "← previous": "← 上一页", "next →": "下一页 →", "pages": "分页",
    ", ": "、", "about {value}": "约{value}", "unknown": "未知",
    # home
    "A knowledge graph of the yearly rule-of-law reports of Chinese public-security bureaus.":
        "公安机关法治政府建设年度报告知识图谱。",
    "Search units, programs, laws, platforms, indicators… e.g. 一村一辅警, 市局":
        "搜索机构、工作机制、法规、平台、指标…… 例如 一村一辅警、市局",
    "reports": "份报告", "bureaus": "个单位", "years": "年份", "triples": "三元组",
    "What is in the graph": "图谱内容", "Class": "类别", "Count": "数量", "Bureaus": "发布单位",
    "({n} reports)": "({n} 份报告)", "No reports yet:": "还没有报告:", "all {n} bureaus …": "所有 {n} 个单位 …",
    "Central programs": "主要工作机制", "Central units": "主要单位",
    "{reports} reports · {mentions} mentions": "{reports} 份报告 · {mentions} 次提及",
    "Ranked by PageRank in the network of all reports: a program ranks high when many entities link to "
    "it, and more so when they are themselves well linked. Before the network analysis has run "
    "(policekg analyze), by the number of reports naming it, then by mentions.":
        "按全部报告构成的网络中的 PageRank 排序:被越多实体关联、关联它的实体本身越重要,排名越高。"
        "网络分析(policekg analyze)运行之前,按提及它的报告数、再按提及次数排序。",
    "More": "更多", "All reports": "所有报告", "Compare programs and indicators across reports":
        "跨报告比较工作机制与指标", "Graph view": "图谱视图", "SPARQL endpoint": "SPARQL 查询",
    "Exports:": "导出:",
    # lists, search
    "Bureau": "发布单位", "Year": "年份", "Title": "标题", "Issued": "发布日期", "No reports yet.": "还没有报告。",
    "name or alias: 一村一辅警, 市局 …": "名称或简称:一村一辅警、市局 …", "all": "全部",
    "Too many matches: only the first ones are counted; type more characters.": "匹配太多,只统计了前一部分;请多输入几个字。",
    "Nothing found for “{q}”.": "没有找到“{q}”。", "alias “{alias}”": "简称“{alias}”", "{n} reports": "{n} 份报告",
    "Search: {q}": "搜索:{q}",
    # report
    "Bureau profile": "单位概况", "Source": "信息来源", "Original URL": "原文网址", "IRI / named graph": "IRI / 命名图",
    "figures CSV": "数据 CSV", "Sections and measures": "结构与举措", "{n} figures": "{n} 项数据",
    "No sections were recognised.": "没有识别出结构。", "Full text": "全文", "{n} mentions": "{n} 处提及",
    "Figures": "数据", "Indicator": "指标", "Value": "数值", "Period": "时期", "About": "关于", "Measure": "举措",
    "Text": "原文", "No figures were recognised.": "没有识别出数据。",
    "Section {n}": "第 {n} 部分", "Measure {n}": "举措 {n}",
    # accuracy of the extraction (numbers from api.accuracy)
    "Extracted automatically. On {reports} real reports checked by hand, {p_names} of the names found "
    "are right and {r_names} of the names in the reports are found; figures: {p_figures} right, "
    "{r_figures} found.":
        "以上内容由程序自动抽取。在 {reports} 份人工核对的真实报告上,抽取出的名称 {p_names} 正确,"
        "报告中的名称 {r_names} 被找到;数据 {p_figures} 正确,{r_figures} 被找到。",
    "How this is measured": "评测方法",
    "About the data": "关于数据",
    "Every name, relation and figure on these pages was extracted by a program from the text of the "
    "reports; each links back to the sentence it comes from.":
        "本站的名称、关系和数据都由程序从报告原文中自动抽取,每一项都链接到它所在的原句。",
    "How accurate the extraction is": "抽取的准确程度", "Precision": "准确率", "Recall": "召回率",
    "Names (units, bodies, programs, laws, platforms)": "名称(公安机关、其他机关、工作机制、法规、平台)",
    "Figures (value and unit)": "数据(数值与单位)",
    "Precision: of what the program found, the share that is right. Recall: of what the reports state, "
    "the share the program found.": "准确率:程序抽取的内容中正确的比例。召回率:报告所述内容中被程序找到的比例。",
    "Measured with policekg eval on {reports} real reports of different bureaus, provinces and years, "
    "whose names and figures were listed by hand; a name counts as found when one name contains the "
    "other, a figure when its value and unit match.":
        "用 policekg eval 在 {reports} 份不同单位、省份和年份的真实报告上测得,报告中的名称和数据由人工列出;"
        "两个名称互相包含即算找到,数据须数值与单位一致。",
    "Limits of this service": "本服务的限制",
    "A request over a limit is stopped and answered with a message naming the limit.":
        "超出限制的请求会被停止,返回的消息指明所超的限制。",
    "Limit": "限制", "Set by": "设置方式",
    "Time a query or a page may take (s)": "查询或页面计算的时间上限(秒)",
    "Time a write may take (s)": "一次写入(SPARQL 更新、图存储写入)的时间上限(秒)",
    "Memory of one query worker or of the writer (MB)": "单个查询进程或写入进程的内存上限(MB)",
    "Largest request body (bytes)": "请求体大小上限(字节)",
    "Deepest nesting of a query, an update or an RDF body": "查询、更新或 RDF 请求体的最大嵌套深度",
    "Most rows of a SELECT answer": "SELECT 结果的最大行数",
    # entity
    "Also called:": "简称/别名:", "Neighbourhood graph": "关系图", "Compare across reports": "跨报告比较",
    "Properties": "属性", "Links from here": "关系", "Links to here": "被关联",
    "Relation": "关系", "With": "对象", "Evidence": "依据", "report": "报告",
    "Showing {shown} of {total}.": "显示 {total} 条中的 {shown} 条。", "compare": "比较", "Reports that mention it": "提及它的报告",
    "in the text": "在原文中", "Report": "报告",
    "Network analysis": "网络分析",
    "Computed on the network of all reports: entities linked by the relations the reports state (a "
    "measure's relation counts for the unit that carries it out, else for the bureau that published the "
    "report). PageRank: how central it is — high when many entities link to it, "
    "and more so when they are central themselves. Betweenness: how often it lies on the shortest path "
    "between two others, a bridge between groups. Degree: how many distinct neighbours it has. "
    "Community: the group of closely linked entities it falls in.":
        "在全部报告构成的网络上计算:实体之间由报告所述的关系相连(举措的关系记在承办它的单位名下,"
        "没有承办单位的记在发布报告的单位名下)。"
        "PageRank:中心程度,被越多实体关联、关联它的实体越中心,值越高。中介中心性:它位于另外两个实体之间"
        "最短路径上的频率,即连接不同群体的桥梁作用。度数:不同邻居的个数。社区:它所属的紧密关联实体群。",
    "Reports, bureaus, first year, measures, figures, programs: counted over all reports when the analysis "
    "last ran, like the figures above; after a report is added or removed they are updated with them.":
        "报告数、单位数、最早年度、措施数、数据条数、项目数:在分析最近一次运行时对全部报告计数,与上面的数值一样,"
        "增删报告后随之更新。",
    # bureau profile
    "Bureau profile: {name}": "单位概况:{name}", "profile": "概况", "Entity page": "实体页面",
    "Province": "省份", "Level": "层级", "Years": "年份",
    "province": "省级", "prefecture": "地市级", "county": "县级",
    "Programs by year": "历年工作机制", "Named": "提及", "New": "新增", "Continued": "延续", "Dropped": "未再提及",
    "New, continued and dropped: against the bureau's previous report year.": "新增、延续、未再提及:与该单位上一份报告的年份相比。",
    "Figures over the years": "历年数据", "Drawing the charts…": "图表加载中…", "chart": "图表",
    "The reports give no figures.": "报告中没有数据。", "Sub-units": "下属单位",
    "Bureaus of the same level in {province}": "{province}同级单位", "In common": "共同项目",
    "No other bureau of this level in this province has a report in the store.": "库中没有同省同级的其他单位。",
    # compare, map
    "Indicators": "指标", "Name": "名称", "Nothing to compare yet.": "还没有可比较的内容。",
    "across reports": "跨报告", "across {n} reports": "跨 {n} 份报告", "Mentions": "提及", "Units": "实施单位",
    "Measures": "举措", "Over the years": "按年份", "Across bureaus": "按单位", "chart view": "图表视图",
    "Drawing the chart…": "图表加载中…", "Data:": "数据:", "table": "表格", "Bureau by year": "单位 × 年份",
    "The figures": "数据明细", "By province": "按省份", "by province": "按省份", "map by province": "省份地图",
    "Drawing the map…": "地图加载中…", "Bureaus by province.": "按省份统计的单位数。", "Names": "单位名称",
    "Province unknown:": "省份不明:",
    # SPARQL page
    "Query the graph with SPARQL": "用 SPARQL 查询图谱",
    "The endpoint is /sparql (SPARQL 1.1 Protocol: GET, POST form or application/sparql-query). The default "
    "graph is the merge of every report's graph (each distinct triple once); GRAPH ?g tells them apart. "
    "The prefixes below are predefined.": "查询端点是 /sparql(SPARQL 1.1 协议:GET、POST 表单或 "
    "application/sparql-query)。默认图是所有报告图的合并(相同的三元组只出现一次),用 GRAPH ?g 区分各份报告。"
    "下列前缀已预先定义。",
    "Run": "运行", "Download as": "下载格式", "(show here)": "(在此显示)", "Examples": "示例", "Prefixes": "前缀",
    # graph pages
    "Neighbourhood of radius {n} of": "{n} 步邻域:", "radius {n}": "{n} 步", "overview": "概览",
    "Drawn from the {shown} newest of the {total} reports naming it.": "取自提及它的 {total} 份报告中最新的 {shown} 份。",
    "Drawn from the {shown} newest of the {total} reports naming it or a neighbour.":
        "取自提及它或其邻居的 {total} 份报告中最新的 {shown} 份。",
    "Draw from {n}": "取 {n} 份",
    "target": "目标", "canonical indicator": "规范指标", "Broader:": "上位指标:", "Narrower, folded in:": "下位指标(已并入):",
    "The results": "结果数据", "Changes": "变化", "Targets": "目标",
    "programs bureaus share": "共有项目", "with those one bureau names": "含仅一个单位提及的",
    "Classes": "类别", "Edges": "关系", "stated relations": "文中所述关系", "named in one measure": "同一举措",
    "Colour": "着色", "by class": "按类别", "by community": "按社区", "Show": "显示", "Draw": "画图",
    "Draw any CONSTRUCT result: resources are nodes, literals show on click.":
        "画出任意 CONSTRUCT 查询的结果:资源为节点,字面值显示在详情中。",
    "{nodes} nodes · {edges} edges": "{nodes} 个节点 · {edges} 条关系",
    "laid out on the server (physics off)": "位置由服务器计算(物理模拟关闭)",
    "Click a node or an edge: its class, names and the sentences behind it.": "点击节点或连线查看类别、名称与依据句。",
    "Programs reports share": "共有项目", "Entity graph": "实体关系图", "Named in the same measure": "共现图",
    "{name} · Neighbourhood": "{name} · 关系图", "CONSTRUCT as a graph": "查询结果图", "CONSTRUCT query": "CONSTRUCT 查询",
    "named together by {n} bureaus": "{n} 个单位同时提及", "same measure ×{n}": "同一举措 ×{n}",
    "Community {n} · {name}": "社区 {n} · {name}", "other": "其他",
    "Programs sized by how many bureaus name them, linked by how many bureaus name both; communities are "
    "computed on this view.": "节点为项目,大小为提及它的单位数;两个项目之间的连线数为同时提及二者的单位数;社区按此图计算。",
    "{n} programs only one bureau names are folded away:": "已折叠 {n} 个仅一个单位提及的项目:", "show them": "显示全部",
    "graph tools": "图谱工具", "Find a node": "查找节点", "Find": "查找", "Expand": "展开", "Hide": "隐藏", "Fit": "适应",
    "add the neighbours of the selected node": "加入所选节点的邻居", "hide the selected node": "隐藏所选节点",
    "zoom in": "放大", "zoom out": "缩小",
    # the graph's click panel and tools (graph.js, through JS_MESSAGES)
    "Aliases": "别名", "Bureaus naming it": "提及单位", "Degree": "度数", "Betweenness": "中介中心性",
    "Community": "社区", "Neighbourhood": "邻域图", "Relations and evidence": "关系与依据",
    "Bureaus naming both": "同时提及二者的单位", "No evidence sentence": "无依据句", "nothing found: {q}": "没有找到:{q}",
    "{n} found": "{n} 个匹配", "this node has no neighbourhood page": "无法展开:该节点没有邻域页",
    "fetching…": "展开中…", "{n} nodes added": "加入 {n} 个节点", "could not expand: ": "展开失败:",
    "hidden: {name}": "已隐藏:{name}", "{shown} of {total}": "共 {total} 个,列出 {shown} 个", "all {n}": "全部 {n} 个",
    "loading…": "加载中…", "could not load the details: ": "详情无法加载:",
    # errors
    "Error {status}": "错误 {status}",
    # messages the static scripts show (JS_MESSAGES)
    "{n} charts": "{n} 个图表", "The charts' data could not be loaded: ": "图表数据无法加载:",
    "{n} provinces": "{n} 个省份", "; {n} bureaus without a known province": ";{n} 个单位省份不明",
    "The map could not be loaded: ": "地图无法加载:", "year": "年份",
    "{shown} / {all} bureaus (the most years reported)": "{shown} / {all} 个单位(报告年份最多的)",
    "The chart's data could not be loaded: ": "图表数据无法加载:", "{n} bureaus, {reports} reports": "{n} 个单位,{reports} 份报告",
}

#: The messages static scripts show: written into every page in its language (`ui_text`), read by ui_text.js.
JS_MESSAGES = ("{n} charts", "The charts' data could not be loaded: ", "{n} provinces",
               "; {n} bureaus without a known province", "The map could not be loaded: ",
               "{n} bureaus, {reports} reports", "bureaus", ", ", "year",
               "{shown} / {all} bureaus (the most years reported)", "The chart's data could not be loaded: ",
               "Name", "Class", "Aliases", "Reports", "Bureaus naming it", "Degree", "Betweenness", "Community",
               "Entity page", "Neighbourhood", "Relations and evidence", "Bureaus naming both", "Evidence",
               "No evidence sentence", "nothing found: {q}", "{n} found", "this node has no neighbourhood page",
               "fetching…", "{n} nodes added", "could not expand: ", "hidden: {name}", "{shown} of {total}",
               "all {n}", "loading…", "could not load the details: ")


def language(request: Request | None) -> str:
    """The language a request reads the pages in: its cookie when it names one we have, else Chinese."""
    chosen = request.cookies.get(COOKIE) if request is not None else None
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def translate(lang: str, msgid: str, **values: Any) -> Markup:
    """`msgid` in `lang`, its placeholders filled; KeyError names a message the catalogue lacks.

    The message is our own text; the values are escaped unless they are markup already (`quoted`).
    """
    if msgid not in CATALOGUE:
        raise KeyError(f"no translation of {msgid!r}: add it to api/i18n.py CATALOGUE")
    text = Markup(escape(msgid if lang == "en" else CATALOGUE[msgid]))
    return text.format(**values) if values else text


def quoted(text: Any) -> Markup:
    """Text from the reports (names, sentences, units), marked as Chinese: an English page stays
    English around it, and screen readers and fonts read it as Chinese."""
    return Markup('<span lang="zh">{}</span>').format(text)


def _ontology_labels() -> dict[str, dict[str, str]]:
    """Property IRI → {language: label}, from the ontology's `rdfs:label`s (read once)."""
    found: dict[str, dict[str, str]] = {}
    label = ox.NamedNode(PREFIXES["rdfs"] + "label")
    for quad in ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE):
        if quad.predicate == label and isinstance(quad.object, ox.Literal) and quad.object.language:
            found.setdefault(quad.subject.value, {})[quad.object.language] = quad.object.value
    return found


_PK = PREFIXES["pk"]
#: (kind, name) → (zh, en): every name the vocabulary table words, in one lookup.
_NAMES: dict[tuple[str, str], tuple[str, str]] = {
    **{("class", c.name): (c.zh, c.en) for c in (*ENTITY_CLASSES, *REPORT_PARTS)},
    **{("status", s.name): (s.zh, s.en) for s in STATUSES},
    **{("value", v.name): (v.zh, v.en) for values in VALUE_SETS.values() for v in values},
    **{("property", _PK + r.name): (r.zh, r.en) for r in RELATIONS},
}
#: Properties the ontology labels but the vocabulary does not word (year, status, publisher …).
_PROPERTY_LABELS = _ontology_labels()
_PROPERTY_LABELS[PREFIXES["dcterms"] + "publisher"] = {"zh": "发布单位", "en": "publisher"}
_PROPERTY_LABELS[PREFIXES["dcterms"] + "issued"] = {"zh": "发布日期", "en": "issued"}


def vocabulary_name(lang: str, kind: str, name: str | None) -> str:
    """A class, status, value or property named in `lang`; the name itself when nothing words it
    ("" for a property: the page shows its CURIE)."""
    if not name:
        return ""
    pair = _NAMES.get((kind, name))
    if pair:
        return pair[0] if lang == "zh" else pair[1]
    return _PROPERTY_LABELS.get(name, {}).get(lang, "") if kind == "property" else name


def term_name(lang: str, iri: str | None) -> str:
    """One of our vocabulary's individuals (`pk:Done`, `pk:AtLeast`) or classes named in `lang`; "" else."""
    local = iri[len(_PK):] if isinstance(iri, str) and iri.startswith(_PK) else None
    return next((vocabulary_name(lang, kind, local) for kind in ("status", "value", "class")
                 if (kind, local) in _NAMES), "")


#: How a title written in both languages is split: `各局下属单位 · Units of a bureau` (the SPARQL examples).
BILINGUAL_SEPARATOR = " · "


def one_language(lang: str, text: str) -> str:
    """The half of a `中文 · English` title in `lang`; any other text as it is."""
    zh, sep, en = text.partition(BILINGUAL_SEPARATOR)
    return (zh if lang == "zh" else en) if sep else text


def _in_language(fn: Callable[..., str]) -> Callable[..., str]:
    """`fn(lang, …)` as a template global that reads the language from the page's request (a page
    rendered without one, a graph saved to a file, is in Chinese)."""
    @pass_context
    def wrapped(ctx: Any, *args: Any, **kwargs: Any) -> str:
        return fn(language(ctx.get("request")), *args, **kwargs)
    wrapped.__doc__ = fn.__doc__
    return wrapped


def _switch_link(lang: str, request: Request | None) -> dict[str, str]:
    """The link to the other language, coming back to this page."""
    other = next(code for code in LANGUAGES if code != lang)
    back = "/"
    if request is not None:
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return {"lang": other, "label": LANGUAGE_NAMES[other],
            "href": "/lang?" + urlencode({"to": other, "back": back})}


def template_globals() -> dict[str, Any]:
    """What the templates use to speak the request's language (set on the environment by `templating`)."""
    return {
        "t": _in_language(translate),
        "language": _in_language(lambda lang: lang),
        "cls_name": _in_language(lambda lang, name: vocabulary_name(lang, "class", name)),
        "status_name": _in_language(lambda lang, name: vocabulary_name(lang, "status", name)),
        "term_name": _in_language(term_name),
        "one_language": _in_language(one_language),
        "property_name": _in_language(lambda lang, iri: vocabulary_name(lang, "property", iri)),
        "ui_text": _in_language(lambda lang: {m: str(translate(lang, m)) for m in JS_MESSAGES}),
        "quoted": quoted,
        "language_switch": pass_context(lambda ctx: _switch_link(language(ctx.get("request")), ctx.get("request"))),
    }


async def switch(request: Request, to: str = Query(..., description="zh or en"),
                 back: str = Query("/", description="the page to return to (a path on this site)")
                 ) -> RedirectResponse:
    """Remember the language in a cookie and go back to the page the reader came from.

    `back` must be a path on this site: anything else (`//evil.example`, `https://…`) goes home,
    so the switch cannot be used as an open redirect.
    """
    if to not in LANGUAGES:
        raise BadRequest(f"unknown language {to!r}; the pages come in {', '.join(LANGUAGES)}")
    target = back if back.startswith("/") and not back.startswith(("//", "/\\")) else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, to, max_age=_YEAR, path="/", samesite="lax", httponly=True)
    return response
