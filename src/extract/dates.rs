//! Dates: the publication date in an article's header, and the dates of events in a sentence
//! ("Chiều 2-3", "từ ngày 19-21/8/2020", "từ ngày 23-6 đến ngày 5-7-1960"). A date without a
//! year takes the year of the article.

use std::sync::OnceLock;

use regex::Regex;

/// A calendar date, with the year possibly missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub year: Option<u32>,
    pub month: u32,
    pub day: u32,
}

impl Day {
    fn new(day: &str, month: &str, year: Option<&str>) -> Option<Day> {
        let day: u32 = day.parse().ok()?;
        let month: u32 = month.parse().ok()?;
        let year = match year {
            Some(y) => Some(y.parse().ok().filter(|y| (1900..=2100).contains(y))?),
            None => None,
        };
        ((1..=31).contains(&day) && (1..=12).contains(&month)).then_some(Day { year, month, day })
    }

    /// "YYYY-MM-DD", with `year` where the text gave none.
    pub fn iso(&self, year: Option<u32>) -> Option<String> {
        let y = self.year.or(year)?;
        Some(format!("{y:04}-{:02}-{:02}", self.month, self.day))
    }
}

/// An event date: one day or a range, and where it stands in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventDate {
    pub from: Day,
    pub to: Option<Day>,
    pub at: usize,
}

impl EventDate {
    /// "YYYY-MM-DD" or "YYYY-MM-DD/YYYY-MM-DD".
    pub fn iso(&self, year: Option<u32>) -> Option<String> {
        let to_year = self.to.and_then(|t| t.year).or(year);
        let from_year = self.from.year.or(to_year);
        let from = self.from.iso(from_year)?;
        match self.to {
            Some(t) => Some(format!("{from}/{}", t.iso(to_year)?)),
            None => Some(from),
        }
    }
}

fn event_patterns() -> &'static [Regex; 3] {
    static RE: OnceLock<[Regex; 3]> = OnceLock::new();
    RE.get_or_init(|| {
        let sep = r"\s*[/.\-]\s*";
        [
            // từ ngày 19-21/8/2020, từ ngày 17 - 19.8
            Regex::new(&format!(
                r"(?i)từ ngày (\d{{1,2}})\s*-\s*(\d{{1,2}}){sep}(\d{{1,2}})(?:{sep}(\d{{4}}))?"
            ))
            .expect("valid pattern"),
            // từ ngày 23-6 đến ngày 5-7-1960
            Regex::new(&format!(
                r"(?i)từ ngày (\d{{1,2}}){sep}(\d{{1,2}})(?:{sep}(\d{{4}}))? đến (?:hết )?(?:ngày )?(\d{{1,2}}){sep}(\d{{1,2}})(?:{sep}(\d{{4}}))?"
            ))
            .expect("valid pattern"),
            // ngày 8/3/2020, chiều 2-3, sáng 19.8
            Regex::new(&format!(
                r"(?i)(?:^|[^\p{{L}}])(ngày|sáng|chiều|tối|trưa|đêm)(?: ngày| nay)? (\d{{1,2}}){sep}(\d{{1,2}})(?:{sep}(\d{{4}}))?"
            ))
            .expect("valid pattern"),
        ]
    })
}

/// Dates of events in `sentence`, in text order. Dates of documents ("Chỉ thị số 35 ngày
/// 30/5/2019") and deadlines ("trước ngày") are left out.
pub fn event_dates(sentence: &str) -> Vec<EventDate> {
    let mut out: Vec<EventDate> = Vec::new();
    // Every pattern needs a day number, and only ASCII digits parse as one.
    if !sentence.bytes().any(|b| b.is_ascii_digit()) {
        return out;
    }
    let [range, span, single] = event_patterns();
    for c in range.captures_iter(sentence) {
        let y = c.get(4).map(|m| m.as_str());
        if let (Some(a), Some(b)) = (Day::new(&c[1], &c[3], y), Day::new(&c[2], &c[3], y)) {
            out.push(EventDate {
                from: a,
                to: Some(b),
                at: c.get(0).map_or(0, |m| m.start()),
            });
        }
    }
    for c in span.captures_iter(sentence) {
        let at = c.get(0).map_or(0, |m| m.start());
        if out.iter().any(|d| d.at == at) {
            continue;
        }
        let a = Day::new(&c[1], &c[2], c.get(3).map(|m| m.as_str()));
        let b = Day::new(&c[4], &c[5], c.get(6).map(|m| m.as_str()));
        if let (Some(a), Some(b)) = (a, b) {
            out.push(EventDate {
                from: a,
                to: Some(b),
                at,
            });
        }
    }
    for c in single.captures_iter(sentence) {
        let m = c.get(1).expect("group 1");
        let at = m.start();
        if out.iter().any(|d| d.at <= at && at < d.at + 12) {
            continue;
        }
        // Only the last four words before the date are read: lower-case just those.
        let before = sentence[..at].trim_end();
        let tail = before
            .rmatch_indices(' ')
            .nth(3)
            .map_or(before, |(i, _)| &before[i + 1..]);
        let before = tail.to_lowercase();
        let document = before.ends_with("trước")
            || before.ends_with("đến")
            || before
                .rsplit(' ')
                .take(4)
                .any(|w| w.contains('/') || w == "số");
        if document {
            continue;
        }
        if let Some(d) = Day::new(&c[2], &c[3], c.get(4).map(|m| m.as_str())) {
            out.push(EventDate {
                from: d,
                to: None,
                at,
            });
        }
    }
    out.sort_by_key(|d| d.at);
    out
}

fn header_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})|(\d{4})-(\d{2})-(\d{2}))")
            .expect("valid pattern")
    })
}

/// The publication date from the header lines of an article: a full date on a short line with a
/// clock time, or after "Ngày đăng", "Cập nhật", "date".
pub fn published(text: &str) -> Option<String> {
    for line in text.lines().take(12) {
        // Header lines are short, and a date needs digits.
        let short = line.len() <= 80 || line.chars().count() <= 80;
        if !short || !line.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let lower = line.to_lowercase();
        let has_time =
            lower.contains(':') && lower.chars().filter(|c| c.is_ascii_digit()).count() >= 10;
        let weekday = lower.trim_start().starts_with("thứ ") || lower.contains("chủ nhật");
        let labelled = weekday
            || ["ngày đăng", "cập nhật", "đăng ngày", "date", "xuất bản"]
                .iter()
                .any(|w| lower.contains(w));
        if !(has_time || labelled) {
            continue;
        }
        if let Some(c) = header_pattern().captures(line) {
            let day = match (c.get(1), c.get(4)) {
                (Some(_), _) => Day::new(&c[1], &c[2], Some(&c[3])),
                (None, Some(_)) => Day::new(&c[6], &c[5], Some(&c[4])),
                _ => None,
            };
            if let Some(d) = day {
                return d.iso(None);
            }
        }
    }
    None
}

/// The latest year of any full date in the text: the year of an undated article.
pub fn latest_year(text: &str) -> Option<u32> {
    header_pattern()
        .captures_iter(text)
        .filter_map(|c| c.get(3).or(c.get(4)).and_then(|m| m.as_str().parse().ok()))
        .filter(|y: &u32| (1945..=2100).contains(y))
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str, year: u32) -> Vec<String> {
        event_dates(s)
            .iter()
            .filter_map(|d| d.iso(Some(year)))
            .collect()
    }

    #[test]
    fn event_dates_table() {
        let rows: [(&str, &str, &[&str]); 6] = [
            (
                "afternoon",
                "Chiều 2-3, Ban Tổ chức tổ chức hội nghị",
                &["2020-03-02"],
            ),
            (
                "range same month",
                "diễn ra từ ngày 19-21/8/2020",
                &["2020-08-19/2020-08-21"],
            ),
            (
                "range with dots",
                "diễn ra từ ngày 17 - 19.8 với",
                &["2020-08-17/2020-08-19"],
            ),
            (
                "range across months",
                "từ ngày 23-6 đến ngày 5-7-1960",
                &["1960-06-23/1960-07-05"],
            ),
            (
                "document date skipped",
                "Chỉ thị số 35-CT/TW ngày 30/5/2019 của Bộ Chính trị",
                &[],
            ),
            ("deadline skipped", "tổ chức trước ngày 15/8/2020", &[]),
        ];
        for (name, input, expected) in rows {
            assert_eq!(iso(input, 2020), expected, "{name}");
        }
    }

    #[test]
    fn published_dates() {
        assert_eq!(
            published("Tin\nThứ Sáu, 10/04/2020, 13:07 [GMT+7]\nBài"),
            Some("2020-04-10".into())
        );
        assert_eq!(
            published("Ngày đăng 07/06/2021 | 15:17"),
            Some("2021-06-07".into())
        );
        assert_eq!(
            published(" date 2025-08-11 Ngày 11/8, ..."),
            Some("2025-08-11".into())
        );
        assert_eq!(
            published("Sáng ngày 08/3/2020 Chi bộ II tổ chức đại hội lần thứ I."),
            None
        );
    }
}
