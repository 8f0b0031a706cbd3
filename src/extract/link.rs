//! Linking persons to titles within a sentence. Each rule is a way Vietnamese news writes who
//! holds what:
//!
//! - apposition: "đồng chí X, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh"
//! - title before name: "Bí thư Tỉnh ủy Nghệ An Thái Thanh Quý", also before a list of names
//! - election: "bầu đồng chí X giữ chức Y", "X tái đắc cử Y", "A và B được bầu làm Y"
//! - colon: "Bí thư Tỉnh ủy: Ông X"
//! - approval: "phê chuẩn chức danh Y đối với ông X"
//! - members: "Ban Thường vụ gồm 9 đồng chí: A, B, …"
//!
//! Titles after "nguyên", "từng", before "(cũ)" and after "thôi giữ chức" are past posts. A
//! predecessor's posts in apposition ("thay ông X, Phó Giám đốc Sở, nghỉ hưu") stay his, as
//! any apposition does, unless he moves to a post the sentence gives and the old one is given
//! to another.

use super::scan::{Item, ItemKind};
use crate::facts::Status;
use crate::gazetteer::{BodyKind, Cue, Gazetteer};

/// A title list: title items joined by ",", "-", "kiêm", "và", with their terms.
#[derive(Debug, Clone)]
pub struct TitleList {
    /// Indices of the title items.
    pub titles: Vec<usize>,
    /// Item index of the first and one past the last item of the list.
    pub first: usize,
    pub end: usize,
    /// A term stated right after the list.
    pub term: Option<String>,
    /// Titles marked as past: parallel to `titles`.
    pub former: Vec<bool>,
}

/// A person linked to a title (or, for members, to a body).
#[derive(Debug, Clone)]
pub struct Link {
    pub person: usize,
    pub list: usize,
    /// Index into the list's titles; `None` for a membership ("gồm … đồng chí").
    pub title: Option<usize>,
    /// The body item of a membership.
    pub body_item: Option<usize>,
    /// The body items listed with it ("Ban Chấp hành, Ban Thường vụ Tỉnh ủy"), itself included.
    pub siblings: Vec<usize>,
    pub status: Status,
    pub rule: &'static str,
    pub term: Option<String>,
}

/// Link persons and titles of one sentence.
pub fn link(
    g: &Gazetteer,
    items: &[Item],
    words: &dyn Fn(usize) -> String,
) -> (Vec<TitleList>, Vec<Link>) {
    let lists = title_lists(items, words);
    let mut claimed = vec![false; lists.len()];
    let mut links = Vec::new();
    let list_at = |i: usize| lists.iter().position(|l| l.first == i);
    let predecessors = predecessors(items);

    // Apposition: a person, then a separator, then a title list.
    for (k, it) in items.iter().enumerate() {
        if it.person().is_none() {
            continue;
        }
        let mut next = aside_end(items, k + 1, words);
        if items
            .get(next)
            .is_some_and(|n| matches!(n.kind, ItemKind::Punct(',' | '-' | '(' | ':')))
        {
            next += 1;
        }
        next = concurrent_end(items, next, words);
        if let Some(l) = list_at(next) {
            // "Bí thư Tỉnh ủy A, Chủ tịch UBND tỉnh B": a list right before a name is that name's.
            let before_name = !persons_after(items, lists[l].end, false, words).is_empty();
            if !claimed[l] && !before_name {
                claimed[l] = true;
                let persons = plural_group(items, k, words);
                push_all(&mut links, &lists[l], l, &persons, "apposition", None);
            }
        }
    }

    // Election and relief: the titles after the cue go to the persons before it.
    for (c, it) in items.iter().enumerate() {
        let status = match it.kind {
            ItemKind::Cue(Cue::Election) => None,
            ItemKind::Cue(Cue::Relieved) => Some(Status::Former),
            _ => continue,
        };
        let mut next = c + 1;
        while next < items.len()
            && matches!(items[next].kind, ItemKind::Word)
            && matches!(
                words(next).as_str(),
                "chức" | "vụ" | "danh" | "là" | "vào" | "làm" | "tiếp"
            )
        {
            next += 1;
        }
        let Some(l) = list_at(next) else { continue };
        // "…, đứng đầu là Tổng Bí thư Tô Lâm": a list right before a name is that name's.
        let before_name = !persons_after(items, lists[l].end, false, words).is_empty();
        if claimed[l] || before_name {
            continue;
        }
        let mut persons = group_before(items, c, words);
        // "…; đồng chí C, nguyên Phó Bí thư Tỉnh ủy, hiện là T": what one is now is said of
        // the person of its own clause, not of those listed before the ";".
        if matches!(words(c).as_str(), "là" | "hiện" | "nay" | "đương") {
            if let Some(semi) = (persons.first().copied().unwrap_or(c)..c)
                .rev()
                .find(|&j| items[j].is_punct(';'))
            {
                persons.retain(|&p| p > semi);
            }
            // "Đồng chí X sinh năm 1986, quê …; hiện là T": a clause with no person of its own
            // speaks of the sentence's one person, named first.
            if persons.is_empty() && c > 0 && items[c - 1].is_punct(';') {
                let named: Vec<usize> = (0..c).filter(|&j| items[j].person().is_some()).collect();
                let first = (0..c)
                    .find(|&j| !matches!(items[j].kind, ItemKind::PersonCue | ItemKind::Rank));
                if named.len() == 1 && first == Some(named[0]) {
                    persons = named;
                }
            }
        }
        if persons.is_empty() {
            continue;
        }
        // "trong thời gian giữ cương vị Chỉ huy trưởng, Đại tá X …": a clause of time whose post
        // is of the person it names, with "của" before it ("những đóng góp của đồng chí X trong
        // thời gian giữ chức …") or after it; not of the speaker before.
        if c >= 2 && words(c - 1) == "gian" && words(c - 2) == "thời" {
            let mut j = persons[0];
            while j > 0 && matches!(items[j - 1].kind, ItemKind::PersonCue | ItemKind::Rank) {
                j -= 1;
            }
            if j == 0 || words(j - 1) != "của" {
                continue;
            }
        }
        // "Bộ trưởng X … điều động một giám đốc sở về làm Phó Cục trưởng": the person before
        // appoints someone the verb names; the post is not theirs. Not so in the passive ("X
        // được điều động, bổ nhiệm làm …"), nor when the verb names no one ("điều động đồng chí
        // X …, chỉ định giữ chức …").
        let last = *persons.last().unwrap_or(&c);
        let between: Vec<String> = (last + 1..c).map(&words).collect();
        let active = between.windows(3).any(|w| {
            matches!(
                (w[0].as_str(), w[1].as_str()),
                ("điều", "động") | ("bổ", "nhiệm") | ("chỉ", "định") | ("giới", "thiệu")
            ) && !matches!(w[2].as_str(), "," | "và")
        });
        if active && !between.iter().any(|w| w == "được") {
            continue;
        }
        // "Ông từng nhiều năm làm Trưởng phòng …": a past cue between the person and the verb;
        // not one that dates a title of the person's own ("…, nguyên Bộ trưởng Bộ Tài chính
        // giữ chức Phó Thủ tướng").
        let past = (last..c)
            .rev()
            .take_while(|&j| !items[j].is_punct(','))
            .any(|j| {
                is_former_cue(&items[j]) && items.get(j + 1).is_none_or(|i| i.title().is_none())
            });
        // "Trước khi trúng cử, ông X là Giám đốc Sở …": what one was before the event the
        // sentence opens with.
        // The person opens the clause after the comma, and the clause has no other verb of
        // office ("Trước khi bế mạc, HĐND tỉnh bầu ông X giữ chức T" is an election).
        let before_then = (2..last)
            .find(|&j| items[j].is_punct(','))
            .is_some_and(|comma| {
                (comma + 1..last)
                    .all(|j| matches!(items[j].kind, ItemKind::PersonCue | ItemKind::Rank))
                    && (last..c).all(|j| !items[j].is_punct(';'))
            })
            && words(0) == "trước"
            && matches!(words(1).as_str(), "khi" | "đó")
            && words(c) == "là";
        let status = status.or((past || before_then).then_some(Status::Former));
        claimed[l] = true;
        let rule = if status.is_some() {
            "relieved"
        } else {
            "election"
        };
        push_all(&mut links, &lists[l], l, &persons, rule, status);
    }

    // Title before name, colon tables, approvals.
    for (l, list) in lists.iter().enumerate() {
        // "Thay mặt Thường trực Tỉnh ủy, đồng chí X …", "Thừa ủy quyền (của) Bộ trưởng Bộ
        // Công an, Thiếu tướng X …": the office spoken for, not X's post.
        let before = |n: usize| match list.first.checked_sub(n) {
            Some(k) => words(k),
            None => String::new(),
        };
        // Not "thừa ủy quyền của Thủ tướng Phạm Minh Chính, …": the name right after the title.
        let authorised = (before(2) == "ủy" && before(1) == "quyền")
            || (before(3) == "ủy" && before(2) == "quyền" && before(1) == "của");
        let spoken_for = (before(2) == "thay" && before(1) == "mặt")
            || (authorised && items.get(list.end).is_some_and(|i| i.is_punct(',')));
        if claimed[l] || spoken_for {
            continue;
        }
        let mut next = list.end;
        // "chức danh Phó Chủ tịch UBND tỉnh nhiệm kỳ 2021 - 2026 đối với …": the term between.
        if matches!(items.get(next).map(|i| &i.kind), Some(ItemKind::Term(_)))
            && (words(next + 1) == "đối" || items.get(next + 1).is_some_and(|n| n.is_punct(':')))
        {
            next += 1;
        }
        // "bầu 2 đồng chí giữ chức Phó Bí thư Tỉnh đoàn, gồm: A; B, …": a table after "gồm" of
        // the persons a post is given to. Not so for a committee written like a title
        // ("Thường trực Tỉnh ủy gồm các đồng chí: …": its members).
        // "LĐLĐ tỉnh có 3 Phó Chủ tịch gồm …", "bổ nhiệm 4 Phó Giám đốc Công an tỉnh, gồm
        // …": the holders of a post, counted.
        let verb = |k: usize| match words(k).as_str() {
            "có" | "bầu" => true,
            "nhiệm" => k > 0 && words(k - 1) == "bổ",
            "định" => k > 0 && words(k - 1) == "chỉ",
            "cử" => k > 0 && words(k - 1) == "thương",
            _ => false,
        };
        let counted_post =
            list.first >= 2 && is_count(&words(list.first - 1)) && verb(list.first - 2);
        let given = list.first > 0
            && (matches!(items[list.first - 1].kind, ItemKind::Cue(Cue::Election))
                || matches!(words(list.first - 1).as_str(), "chức" | "danh")
                || counted_post);
        // "Các Phó Viện trưởng VKSND tỉnh được bổ nhiệm gồm: A, B và C", "Hai Phó Chủ tịch
        // HĐND tỉnh được bầu là bà A, T và ông B": the post given to the persons named.
        let passive = matches!(
            items.get(next).map(|i| &i.kind),
            Some(ItemKind::Cue(Cue::Election))
        ) && matches!(words(next + 1).as_str(), "gồm" | "là");
        if passive {
            next += 1;
        }
        // "Các Phó Chủ tịch UBND tỉnh (còn lại) là các ông, bà: A, B", "Các Phó Chủ tịch Ủy ban
        // MTTQ tỉnh khóa I, nhiệm kỳ 2026 - 2031 gồm: …": the holders of a post.
        let plural = list.first > 0 && words(list.first - 1) == "các" && {
            // "Các ĐBQH đơn vị bầu cử số 3 của Đoàn ĐBQH tỉnh gồm …": words that say which
            // holders, up to "gồm" or "là"; no person, title or cue among them.
            let mut k = next;
            let which = |i: &Item| match i.kind {
                ItemKind::Word | ItemKind::Body(_) | ItemKind::Place { .. } => true,
                ItemKind::Punct(',') => true,
                _ => dated(i),
            };
            while k < next + 12
                && items.get(k).is_some_and(&which)
                && !matches!(words(k).as_str(), "là" | "gồm")
            {
                k += 1;
            }
            let to_each = matches!(words(k).as_str(), "là" | "gồm");
            if to_each {
                next = k;
            }
            to_each
        };
        let given = given || passive || plural;
        let (comma, counted) = match given {
            true => (
                usize::from(items.get(next).is_some_and(|n| n.is_punct(','))),
                3,
            ),
            false => (0, 0),
        };
        if matches!(words(next + comma).as_str(), "gồm" | "là") {
            let mut colon = next + comma + 1;
            // "gồm 2 đồng chí:", "gồm các ông, bà:".
            let cue = |j: usize| {
                items
                    .get(j)
                    .is_some_and(|i| matches!(i.kind, ItemKind::PersonCue))
            };
            while colon < next + comma + 1 + counted
                && (cue(colon)
                    || is_count(&words(colon))
                    || items.get(colon).is_some_and(|i| i.is_punct(','))
                        && cue(colon - 1)
                        && cue(colon + 1))
            {
                colon += 1;
            }
            if items.get(colon).is_some_and(|n| n.is_punct(':')) {
                next = colon;
            }
        }
        let (persons, rule) = if items.get(next).is_some_and(|n| n.is_punct(':')) {
            next += 1;
            (persons_after(items, next, true, words), "colon")
        } else if items.get(next).is_some_and(|n| n.is_punct(','))
            && items
                .get(next + 1)
                .is_some_and(|n| matches!(n.kind, ItemKind::PersonCue | ItemKind::Rank))
            && !fronted_by_theo(items, list.first, words)
        {
            // "Bí thư Tỉnh ủy, đồng chí X", "Tư lệnh Quân khu 4, Trung tướng X".
            (
                persons_after(items, next + 1, false, words),
                "title-before-name",
            )
        } else if given
            && matches!(words(next).as_str(), "là" | "gồm")
            && items
                .get(next + 1)
                .is_some_and(|n| matches!(n.kind, ItemKind::PersonCue))
        {
            // "Hai đồng chí được bầu giữ chức Phó Bí thư là đồng chí A, T và đồng chí B, T":
            // the persons the post is given to, each with titles of their own.
            (persons_after(items, next + 1, true, words), "election")
        } else if words(next) == "đối" && words(next + 1) == "với" {
            // "đối với 2 đồng chí: A, Giám đốc Sở …; B, …": a counted list, each person with
            // titles of their own.
            // "đối với 4 cán bộ, gồm: …" too.
            let counted = (next + 2..next + 8)
                .find(|&j| items.get(j).is_some_and(|i| i.is_punct(':')))
                .filter(|&colon| {
                    (next + 2..colon).all(|j| {
                        matches!(items[j].kind, ItemKind::PersonCue | ItemKind::Punct(','))
                            || is_count(&words(j))
                            || matches!(words(j).as_str(), "cán" | "bộ" | "gồm" | "người")
                    })
                });
            match counted {
                Some(colon) => (persons_after(items, colon + 1, true, words), "approval"),
                None => (persons_after(items, next + 2, false, words), "approval"),
            }
        } else {
            (
                persons_after(items, next, false, words),
                "title-before-name",
            )
        };
        // "bầu 18 Ủy viên UBND tỉnh là thủ trưởng các sở, ngành, trong đó có Đại tá A, Giám đốc
        // Công an tỉnh, và B": the holders of a counted post the text goes on to name.
        let among = || {
            (next..items.len().min(next + 24))
                .take_while(|&j| {
                    // Not past a relief or another verb of office ("là" is none).
                    let stop = match items[j].kind {
                        ItemKind::Punct(';') | ItemKind::Cue(Cue::Relieved) => true,
                        ItemKind::Cue(Cue::Election) => words(j) != "là",
                        _ => false,
                    };
                    !stop
                })
                .find(|&j| words(j) == "trong" && words(j + 1) == "đó" && words(j + 2) == "có")
                .map(|j| persons_after(items, j + 3, true, words))
        };
        let (persons, rule) = match persons.is_empty() && (counted_post || plural) {
            true => (among().unwrap_or_default(), "election"),
            false => (persons, rule),
        };
        if !persons.is_empty() {
            claimed[l] = true;
            push_all(&mut links, list, l, &persons, rule, None);
        }
    }

    // Joining: "X được chỉ định tham gia Ban Chấp hành, Ban Thường vụ Tỉnh ủy"; "bầu bổ sung
    // đồng chí X, Bí thư Thành ủy Y, vào Bộ Chính trị".
    let elected_into = |c: usize| {
        let Some(&first) = (words(c) == "vào")
            .then(|| group_before(items, c, words))
            .as_ref()
            .and_then(|g| g.iter().min())
        else {
            return false;
        };
        let mut k = first;
        while k > 0 && matches!(items[k - 1].kind, ItemKind::PersonCue | ItemKind::Rank) {
            k -= 1;
        }
        let sung = k >= 2 && words(k - 2) == "bổ" && words(k - 1) == "sung";
        let verb = k.checked_sub(1 + 2 * usize::from(sung)).map(&words);
        matches!(verb.as_deref(), Some("bầu" | "cử"))
    };
    for (c, it) in items.iter().enumerate() {
        let joins = match it.kind {
            ItemKind::Cue(Cue::Joins) => true,
            // Checked only before a body: reading a word allocates.
            ItemKind::Word => {
                matches!(items.get(c + 1).map(|i| &i.kind), Some(ItemKind::Body(_)))
                    && elected_into(c)
            }
            _ => false,
        };
        if !joins || (c > 0 && matches!(words(c - 1).as_str(), "không" | "chưa")) {
            continue;
        }
        let mut bodies = Vec::new();
        let mut k = c + 1;
        while let Some(ItemKind::Body(_)) = items.get(k).map(|i| &i.kind) {
            bodies.push(k);
            k += 1;
            let joined = items.get(k).is_some_and(|i| i.is_punct(',')) || words(k) == "và";
            if !(joined && matches!(items.get(k + 1).map(|i| &i.kind), Some(ItemKind::Body(_)))) {
                break;
            }
            k += 1;
        }
        let committees: Vec<usize> = bodies
            .iter()
            .copied()
            .filter(|&b| matches!(&items[b].kind, ItemKind::Body(body) if committee(g, body)))
            .collect();
        if committees.is_empty() {
            continue;
        }
        for p in group_before(items, c, words) {
            for &b in &committees {
                links.push(Link {
                    person: p,
                    list: usize::MAX,
                    title: None,
                    body_item: Some(b),
                    siblings: bodies.clone(),
                    status: Status::Current,
                    rule: "joins",
                    term: None,
                });
            }
        }
    }

    // Members: "Ban Thường vụ Tỉnh ủy gồm 15 đồng chí: A, B, C", "bầu bổ sung vào Ban Thường
    // vụ 3 đồng chí: A, B và C".
    for (b, it) in items.iter().enumerate() {
        let ItemKind::Body(body) = &it.kind else {
            continue;
        };
        if !committee(g, body) {
            continue;
        }
        let mut k = b + 1;
        // "Danh sách Ban Chấp hành (xếp theo vần A, B, C) gồm …": an aside in brackets.
        if items.get(k).is_some_and(|i| i.is_punct('(')) {
            while k < items.len() && !items[k].is_punct(')') && k < b + 14 {
                k += 1;
            }
            k += 1;
        }
        // "Ban Thường vụ Tỉnh ủy khóa XII, nhiệm kỳ 2025 - 2030 gồm …": the term between.
        while items.get(k).is_some_and(dated)
            || items.get(k).is_some_and(|i| i.is_punct(',')) && items.get(k + 1).is_some_and(dated)
        {
            k += 1;
        }
        let dated_end = k;
        while k < items.len()
            && k < dated_end + 8
            && (matches!(words(k).as_str(), "gồm" | "có")
                || matches!(items[k].kind, ItemKind::PersonCue)
                || p_number(items, k, words))
        {
            k += 1;
        }
        let colon = items.get(k).is_some_and(|i| i.is_punct(':'));
        let cue_before = k > b + 1
            && items
                .get(k - 1)
                .is_some_and(|i| matches!(i.kind, ItemKind::PersonCue));
        if !(cue_before || colon && k > dated_end.max(b + 1)) {
            continue;
        }
        let start = if colon { k + 1 } else { k };
        for p in persons_after(items, start, true, words) {
            links.push(Link {
                person: p,
                list: usize::MAX,
                title: None,
                body_item: Some(b),
                siblings: vec![b],
                status: Status::Current,
                rule: "members",
                term: None,
            });
        }
    }
    past_posts_of_the_moved(items, &lists, &predecessors, &mut links);
    (lists, links)
}

/// "… giữ chức Chủ nhiệm, thay đồng chí X, Ủy viên Bộ Chính trị, đã được phân công giữ chức
/// Trưởng ban …": a predecessor who moves to a post of his own leaves only the post the sentence
/// gives another; his other posts stay his.
fn past_posts_of_the_moved(
    items: &[Item],
    lists: &[TitleList],
    predecessors: &[usize],
    links: &mut [Link],
) {
    let title_of = |l: &Link| {
        let t = l.title?;
        items[*lists.get(l.list)?.titles.get(t)?]
            .title()
            .map(|t| t.title)
    };
    let elected = |l: &Link| l.rule == "election" && l.status == Status::Current;
    let moved: Vec<usize> = predecessors
        .iter()
        .copied()
        .filter(|&p| links.iter().any(|l| l.person == p && elected(l)))
        .collect();
    if moved.is_empty() {
        return;
    }
    let given: Vec<u16> = links
        .iter()
        .filter(|l| elected(l) && !predecessors.contains(&l.person))
        .filter_map(title_of)
        .collect();
    // The bodies of the posts given, to the successor or to the moved: a post in one of them
    // is the one left ("thay ông X, Phó Bí thư Tỉnh ủy, đã được bầu làm Bí thư Tỉnh ủy").
    let body_of = |l: &Link| {
        let t = l.title?;
        let item = &items[*lists.get(l.list)?.titles.get(t)?];
        item.title()?.body.as_ref().map(|b| b.head)
    };
    let taken: Vec<u16> = links
        .iter()
        .filter(|l| elected(l))
        .filter_map(body_of)
        .collect();
    // "thay đồng chí X, nguyên Bí thư Tỉnh ủy, …": a post written as past stays past.
    let past = |l: &Link| {
        l.title
            .and_then(|t| lists.get(l.list)?.former.get(t).copied())
            .unwrap_or(true)
    };
    for l in links.iter_mut() {
        let left = past(l)
            || title_of(l).is_none_or(|t| given.contains(&t))
            || body_of(l).is_none_or(|b| taken.contains(&b));
        if moved.contains(&l.person) && l.rule == "apposition" && left {
            l.status = Status::Former;
        }
    }
}

/// Past "kiêm", "hiện kiêm", "đồng thời kiêm" at `k`: the posts a person holds beside the one
/// already named ("ông X kiêm Giám đốc Sở Y"); `k` itself when none is there.
fn concurrent_end(items: &[Item], k: usize, words: &dyn Fn(usize) -> String) -> usize {
    let word = |j: usize| {
        items
            .get(j)
            .is_some_and(|i| matches!(i.kind, ItemKind::Word))
            .then(|| words(j))
    };
    let j = match word(k).as_deref() {
        Some("hiện" | "nay") => k + 1,
        Some("đồng") if word(k + 1).as_deref() == Some("thời") => k + 2,
        _ => k,
    };
    if word(j).as_deref() == Some("kiêm") {
        j + 1
    } else {
        k
    }
}

/// Skip asides between a name and its titles: "(SN 1975)", ", sinh năm 1970", ", 52 tuổi",
/// ", quê Hà Tĩnh", ", người Tày".
fn aside_end(items: &[Item], mut k: usize, words: &dyn Fn(usize) -> String) -> usize {
    // "(SN 1975, quê Thái Bình)": a bracket without titles.
    if items.get(k).is_some_and(|i| i.is_punct('(')) {
        let close = (k + 1..items.len().min(k + 20)).find(|&j| items[j].is_punct(')'));
        if let Some(c) = close {
            if items[k + 1..c].iter().all(|i| i.title().is_none()) {
                k = c + 1;
            }
        }
    }
    for _ in 0..3 {
        if !items.get(k).is_some_and(|i| i.is_punct(',')) {
            break;
        }
        let first = words(k + 1);
        let aged = first.chars().all(|c| c.is_ascii_digit())
            && !first.is_empty()
            && words(k + 2) == "tuổi";
        let mut j = k + 1;
        while j < items.len() && !matches!(items[j].kind, ItemKind::Punct(',' | '.' | ';')) {
            j += 1;
        }
        // ", người Raglai," ", người dân tộc Tày,": who the person is, without a title in it.
        let kin = first == "người" && items[k + 1..j].iter().all(|i| i.title().is_none());
        // ", Tham tán Công sứ,": a rank alone.
        let rank = j == k + 2 && matches!(items[k + 1].kind, ItemKind::Rank);
        if !(matches!(first.as_str(), "sinh" | "quê") || aged || kin || rank) {
            break;
        }
        k = j;
    }
    k
}

/// "các Đại tá A và B, Phó Giám đốc Công an tỉnh": names that a plural cue ("các") opened
/// share the titles after the last one. Otherwise just the person `k`.
fn plural_group(items: &[Item], k: usize, words: &dyn Fn(usize) -> String) -> Vec<usize> {
    let mut group = vec![k];
    let mut j = k;
    let mut plural = false;
    while j > 0 {
        j -= 1;
        match &items[j].kind {
            ItemKind::Person(_) => group.push(j),
            ItemKind::Punct(',') => {}
            ItemKind::PersonCue | ItemKind::Rank => {
                plural |= words(j).starts_with("các") || j > 0 && words(j - 1) == "các";
            }
            ItemKind::Word if words(j) == "và" => {}
            _ => break,
        }
    }
    if plural && group.len() > 1 {
        group.reverse();
        group
    } else {
        vec![k]
    }
}

/// A committee whose members are listed: Ban Thường vụ, Ban Chấp hành, Ủy ban Kiểm tra.
fn committee(g: &Gazetteer, b: &super::parse::BodyPhrase) -> bool {
    matches!(
        g.bodies[b.head as usize].kind,
        BodyKind::StandingCommittee
            | BodyKind::ExecutiveCommittee
            | BodyKind::InspectionCommittee
            | BodyKind::PartyCommittee
    )
}

/// A number item ("3", "09").
fn p_number(items: &[Item], k: usize, words: &dyn Fn(usize) -> String) -> bool {
    matches!(items[k].kind, ItemKind::Word)
        && words(k).chars().all(|c| c.is_ascii_digit())
        && !words(k).is_empty()
}

fn push_all(
    links: &mut Vec<Link>,
    list: &TitleList,
    l: usize,
    persons: &[usize],
    rule: &'static str,
    status: Option<Status>,
) {
    for &p in persons {
        for t in 0..list.titles.len() {
            let status = status.unwrap_or(if list.former[t] {
                Status::Former
            } else {
                Status::Current
            });
            links.push(Link {
                person: p,
                list: l,
                title: Some(t),
                body_item: None,
                siblings: Vec::new(),
                status,
                rule,
                term: list.term.clone(),
            });
        }
    }
}

/// Persons introduced by "thay", "kế nhiệm": their posts are past.
fn predecessors(items: &[Item]) -> Vec<usize> {
    let mut out = Vec::new();
    for (c, it) in items.iter().enumerate() {
        if !matches!(it.kind, ItemKind::Cue(Cue::Predecessor)) {
            continue;
        }
        let mut k = c + 1;
        while items
            .get(k)
            .is_some_and(|i| matches!(i.kind, ItemKind::PersonCue | ItemKind::Rank))
        {
            k += 1;
        }
        if items.get(k).is_some_and(|i| i.person().is_some()) {
            out.push(k);
        }
    }
    out
}

/// The most titles one person's list may have; a longer run starts a new list.
const MAX_TITLES: usize = 16;

/// Group title items into lists.
fn title_lists(items: &[Item], words: &dyn Fn(usize) -> String) -> Vec<TitleList> {
    let mut lists = Vec::new();
    let mut k = 0;
    while k < items.len() {
        let starts_former = former_cue_before(items, k);
        if items[k].title().is_none() {
            k += 1;
            continue;
        }
        // "từng là A, B", "nguyên A, B": the whole list is past (a post held now is written
        // first: "Bí thư Tỉnh ủy, nguyên Chủ tịch UBND tỉnh"; or after "nay là").
        let relieved = relieved_before(items, k, words) || starts_former;
        let mut list = TitleList {
            titles: vec![k],
            first: list_start(items, k),
            end: k + 1,
            term: None,
            former: vec![starts_former || relieved],
        };
        let mut j = k + 1;
        // A later title of the list marked past by a "nguyên" of its own.
        let mut marked_later = false;
        while list.titles.len() < MAX_TITLES {
            // Qualifiers that stay with the list: terms, "khóa X", "(cũ)".
            match items.get(j).map(|i| &i.kind) {
                Some(ItemKind::Term(t)) => {
                    list.term.get_or_insert_with(|| t.clone());
                    j += 1;
                    list.end = j;
                    continue;
                }
                Some(ItemKind::Khoa(_)) => {
                    j += 1;
                    list.end = j;
                    continue;
                }
                Some(ItemKind::Cue(Cue::FormerAfter)) => {
                    // "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh Thái Bình (cũ)": the unit is gone,
                    // and with it every post of the list; but not a post written before a
                    // "nguyên" in it ("Ủy viên Trung ương Đảng, nguyên Bí thư Tỉnh ủy X (cũ)").
                    if !marked_later {
                        list.former.iter_mut().for_each(|f| *f = true);
                    }
                    j += 1;
                    list.end = j;
                    continue;
                }
                _ => {}
            }
            // A separator, then another title (or a term).
            let mut s = j;
            let sep = items.get(s).is_some_and(|i| {
                matches!(i.kind, ItemKind::Punct(',' | '-'))
                    || (matches!(i.kind, ItemKind::Word)
                        && matches!(words(s).as_str(), "kiêm" | "và"))
            });
            if sep {
                s += 1;
                if words(s) == "đồng" && words(s + 1) == "thời" {
                    s += 2;
                    // ", đồng thời kiêm T", ", đồng thời là T".
                    if matches!(words(s).as_str(), "kiêm" | "là") {
                        s += 1;
                    }
                }
            }
            // "ủy quyền của Thủ tướng Chính phủ, Ủy viên Bộ Chính trị, … X": the title after
            // "của" is another person's; the list of X starts after it.
            if list.titles.len() == 1 && k > 0 && words(k - 1) == "của" {
                break;
            }
            let former = former_cue_before(items, s + 1) && items.get(s).is_some_and(is_former_cue);
            if former {
                s += 1;
            }
            match items.get(s).map(|i| &i.kind) {
                Some(ItemKind::Title(_)) if sep || s == j => {
                    marked_later |= former;
                    list.titles.push(s);
                    list.former.push(former || relieved);
                    j = s + 1;
                    list.end = j;
                }
                Some(ItemKind::Term(t)) if sep && !former => {
                    list.term.get_or_insert_with(|| t.clone());
                    j = s + 1;
                    list.end = j;
                }
                _ => break,
            }
        }
        lists.push(list);
        k = j;
    }
    lists
}

/// "miễn nhiệm chức vụ Chủ tịch …", "thôi giữ chức …": the list after it is left.
fn relieved_before(items: &[Item], k: usize, words: &dyn Fn(usize) -> String) -> bool {
    let mut j = k;
    while j > 0 && matches!(words(j - 1).as_str(), "chức" | "vụ" | "danh") {
        j -= 1;
    }
    j > 0 && matches!(items[j - 1].kind, ItemKind::Cue(Cue::Relieved))
}

fn is_former_cue(i: &Item) -> bool {
    matches!(i.kind, ItemKind::Cue(Cue::Former))
}

/// Is item `k` right after a "nguyên" / "từng"?
fn former_cue_before(items: &[Item], k: usize) -> bool {
    k > 0 && items.get(k - 1).is_some_and(is_former_cue)
}

/// Where a list starts, counting a "nguyên" before its first title.
fn list_start(items: &[Item], k: usize) -> usize {
    if former_cue_before(items, k) {
        k - 1
    } else {
        k
    }
}

/// The persons a list of names starting at item `k` names: "A, B và C", with person cues and
/// ranks before each. With `appositions`, each name may carry its own title list and names may be
/// separated by ";".
/// Titles in apposition at `k`: ", Bí thư …".
fn own_titles(items: &[Item], k: usize) -> bool {
    items.get(k).is_some_and(|i| i.is_punct(','))
        && items.get(k + 1).is_some_and(|i| i.title().is_some())
}

/// Is item `k` inside a fronted "Theo …" clause ("Theo quyết định của Bộ trưởng Bộ Quốc
/// phòng, Đại tá X …")? The office there is whoever decided, not the person after the comma.
fn fronted_by_theo(items: &[Item], k: usize, words: &dyn Fn(usize) -> String) -> bool {
    // "Theo …", "Cũng theo …", "Và theo …".
    let at = usize::from(matches!(words(0).as_str(), "cũng" | "và"));
    words(at) == "theo" && !items[..k].iter().any(|i| i.is_punct(','))
}

/// A count of persons: digits or a number word ("2", "hai").
pub(crate) fn is_count(word: &str) -> bool {
    let digits = !word.is_empty() && word.chars().all(|c| c.is_ascii_digit());
    digits || super::parse::numeral(word).is_some()
}

pub fn persons_after(
    items: &[Item],
    mut k: usize,
    appositions: bool,
    words: &dyn Fn(usize) -> String,
) -> Vec<usize> {
    let mut out = Vec::new();
    loop {
        while items
            .get(k)
            .is_some_and(|i| matches!(i.kind, ItemKind::PersonCue | ItemKind::Rank))
        {
            k += 1;
        }
        // "các Phó Thủ tướng: Ủy viên Bộ Chính trị A; Bí thư Trung ương Đảng B": in a table,
        // a person's own titles may come before the name.
        if appositions {
            k = own_titles_before_name(items, k);
        }
        match items.get(k) {
            // "Phó Bí thư Thường trực A và đồng chí B, Phó Bí thư Tỉnh ủy …": a later person
            // with titles of their own does not share the title before the first.
            Some(_) if !appositions && !out.is_empty() && own_titles(items, k + 1) => break,
            Some(i) if i.person().is_some() => out.push(k),
            _ => break,
        }
        k += 1;
        // "ông A (TAND tỉnh), bà B (TAND khu vực 1)": a body in brackets after the name.
        if items.get(k).is_some_and(|i| i.is_punct('('))
            && matches!(items.get(k + 1).map(|i| &i.kind), Some(ItemKind::Body(_)))
            && items.get(k + 2).is_some_and(|i| i.is_punct(')'))
        {
            k += 3;
        }
        if appositions {
            // Skip this person's own titles: ", Bí thư …" up to the next ";" or ",".
            let mut j = k;
            let opened = items.get(j).is_some_and(|i| i.is_punct('('));
            if items
                .get(j)
                .is_some_and(|i| matches!(i.kind, ItemKind::Punct(',' | '-' | '(')))
            {
                j += 1;
                // "A, nguyên Bí thư Tỉnh ủy …; B, …": a past post is a title list too.
                let from = j + usize::from(items.get(j).is_some_and(is_former_cue));
                if items.get(from).is_some_and(|i| i.title().is_some()) {
                    // Up to "; B", or to "và đồng chí B", "và Đại tá B", "và B".
                    let next_person = |j: usize| {
                        items.get(j + 1).is_some_and(|n| {
                            matches!(n.kind, ItemKind::PersonCue | ItemKind::Rank)
                                || n.person().is_some()
                        }) && words(j) == "và"
                    };
                    while j < items.len()
                        && !items[j].is_punct(';')
                        && !items[j].is_punct('.')
                        && !next_person(j)
                    {
                        // "A (nguyên Chủ tịch …), B": the bracket ends A's titles.
                        if opened && items[j].is_punct(')') {
                            j += 1;
                            break;
                        }
                        j += 1;
                    }
                    k = j;
                }
            }
        }
        let sep = items.get(k).is_some_and(|i| {
            matches!(i.kind, ItemKind::Punct(','))
                || (appositions && i.is_punct(';'))
                || (matches!(i.kind, ItemKind::Word) && words(k) == "và")
        });
        if !sep {
            break;
        }
        k += 1;
    }
    out
}

/// The person after the titles that open a table row at `k` ("Ủy viên Bộ Chính trị A"), or `k`
/// when the row does not open with titles before a name.
fn own_titles_before_name(items: &[Item], k: usize) -> usize {
    if items.get(k).is_none_or(|i| i.title().is_none()) {
        return k;
    }
    let mut j = k;
    while items.get(j).is_some_and(|i| {
        matches!(
            i.kind,
            ItemKind::Title(_) | ItemKind::Body(_) | ItemKind::Place { .. } | ItemKind::Punct(',')
        ) || dated(i)
    }) {
        j += 1;
    }
    // Ranks and person cues stand before the name too: "Ủy viên Bộ Chính trị, Đại tướng A".
    while items
        .get(j)
        .is_some_and(|i| matches!(i.kind, ItemKind::PersonCue | ItemKind::Rank))
    {
        j += 1;
    }
    match items.get(j) {
        Some(i) if i.person().is_some() && j > k && !items[j - 1].is_punct(',') => j,
        _ => k,
    }
}

/// "khóa XIII", "nhiệm kỳ 2020 - 2025": what dates a title or a committee.
fn dated(i: &Item) -> bool {
    matches!(i.kind, ItemKind::Khoa(_) | ItemKind::Term(_))
}

/// Do a person's titles end right before `k` ("Bí thư Tỉnh ủy", "Chủ tịch … khóa XV")?
fn titles_end_at(items: &[Item], k: usize) -> bool {
    match k.checked_sub(1).map(|j| &items[j]) {
        Some(i) if i.title().is_some() => true,
        Some(i) if dated(i) => k >= 2 && items[k - 2].title().is_some(),
        _ => false,
    }
}

/// The persons before cue `c` in its clause: the nearest person, and the persons joined to it by
/// ",", "và", with their own titles in between.
pub fn group_before(items: &[Item], c: usize, words: &dyn Fn(usize) -> String) -> Vec<usize> {
    let mut k = c;
    let mut found = None;
    while k > 0 {
        k -= 1;
        let it = &items[k];
        if it.is_punct(';') || it.is_punct('.') || it.is_punct(':') {
            break;
        }
        if it.person().is_some() {
            found = Some(k);
            break;
        }
    }
    let Some(first) = found else {
        return Vec::new();
    };
    // "ông A, Ủy viên Trung ương Đảng; ông B, … và ông C, … giữ chức …": names each with its
    // own titles may be separated by ";".
    let appositive = items[first..c].iter().any(|i| i.title().is_some());
    let mut out = vec![first];
    let mut k = first;
    while k > 0 {
        k -= 1;
        let it = &items[k];
        match &it.kind {
            ItemKind::Person(_) => out.push(k),
            // "…; bà B, Chủ tịch Hội LHPN tỉnh khóa XV; bà C …": a term may end the titles.
            ItemKind::Punct(';') if appositive && titles_end_at(items, k) => {}
            // "A, Bí thư Tỉnh đoàn cùng các đồng chí: B, …; C, … chủ trì": A leads the list.
            ItemKind::Punct(':')
                if k > 0
                    && matches!(items[k - 1].kind, ItemKind::PersonCue)
                    && (words(k - 1) == "cùng" || k > 1 && words(k - 2) == "và") => {}
            ItemKind::PersonCue
            | ItemKind::Rank
            | ItemKind::Title(_)
            | ItemKind::Term(_)
            | ItemKind::Khoa(_)
            | ItemKind::Punct(',' | '-')
            | ItemKind::Cue(Cue::Former) => {}
            // Only "và" joins names, and "cùng" right before a name ("A cùng ông B chủ trì");
            // any other word ends the group.
            ItemKind::Word if words(k) == "và" => {}
            ItemKind::Word
                if words(k) == "cùng"
                    && items.get(k + 1).is_some_and(|n| {
                        matches!(n.kind, ItemKind::PersonCue | ItemKind::Rank)
                            || n.person().is_some()
                    }) => {}
            _ => break,
        }
    }
    out.reverse();
    out
}
