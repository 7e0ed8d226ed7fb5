//! Reading a code aloud: grouped, and spelled with the NATO phonetic alphabet on request.

/// Codes this short are read whole: "84213", not "8421 3".
const READ_WHOLE: usize = 6;

/// The code in groups of at most `group` characters separated by spaces, as even as they can be
/// (the longer first): "K7QM 3XPD", and "K7Q M3X PDZ" rather than a last character read on its
/// own. `group` 0, or a code of six characters or fewer, stays whole.
pub fn grouped(code: &str, group: usize) -> String {
    let chars: Vec<char> = code.chars().collect();
    if group == 0 || chars.len() <= READ_WHOLE {
        return code.to_owned();
    }
    let groups = chars.len().div_ceil(group);
    let (size, longer) = (chars.len() / groups, chars.len() % groups);
    let mut out = String::with_capacity(chars.len() + groups);
    let mut rest = chars.as_slice();
    for n in 0..groups {
        let (this, next) = rest.split_at(size + usize::from(n < longer));
        if n > 0 {
            out.push(' ');
        }
        out.extend(this);
        rest = next;
    }
    out
}

/// A number of things in words: "1 code", "3 codes".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The word for one character: NATO for letters, the English name for digits.
pub fn word(c: char) -> String {
    const LETTERS: [&str; 26] = [
        "Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India",
        "Juliett", "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo",
        "Sierra", "Tango", "Uniform", "Victor", "Whiskey", "X-ray", "Yankee", "Zulu",
    ];
    const DIGITS: [&str; 10] = [
        "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine",
    ];
    let upper = c.to_ascii_uppercase();
    match upper {
        'A'..='Z' => LETTERS[(upper as u8 - b'A') as usize].to_owned(),
        '0'..='9' => DIGITS[(upper as u8 - b'0') as usize].to_owned(),
        other => other.to_string(),
    }
}

/// The code spelled out, one word per character, groups separated by a dash.
pub fn phonetic(code: &str, group: usize) -> String {
    grouped(code, group)
        .split(' ')
        .map(|g| g.chars().map(word).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" — ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_words() {
        assert_eq!(counted(1, "code", "codes"), "1 code");
        assert_eq!(counted(0, "code", "codes"), "0 codes");
        assert_eq!(counted(12, "match", "matches"), "12 matches");
    }

    #[test]
    fn groups_for_reading() {
        assert_eq!(grouped("K7QM3XPD", 4), "K7QM 3XPD");
        assert_eq!(grouped("K7QM3XPDZ", 4), "K7Q M3X PDZ", "no character alone");
        assert_eq!(grouped("K7QM3XPDZA", 4), "K7QM 3XP DZA");
        assert_eq!(grouped("K7QM3XP", 4), "K7QM 3XP");
        assert_eq!(grouped("K7QM3XPDZAB7", 4), "K7QM 3XPD ZAB7");
        assert_eq!(grouped("K7QM3XPDZAB7Q", 4), "K7QM 3XP DZA B7Q");
        assert_eq!(
            grouped("ÄBCDÉFGHI", 4),
            "ÄBC DÉF GHI",
            "characters, not bytes"
        );
        assert_eq!(grouped("84213", 0), "84213");
        assert_eq!(grouped("84213", 4), "84213", "a visitor code is read whole");
        assert_eq!(grouped("", 4), "");
    }

    #[test]
    fn spelled_out() {
        assert_eq!(
            phonetic("K7QM3XPD", 4),
            "Kilo Seven Quebec Mike — Three X-ray Papa Delta"
        );
        assert_eq!(phonetic("84213", 0), "Eight Four Two One Three");
        assert_eq!(word('z'), "Zulu");
    }
}
